//! symdiff-ad (under construction)
