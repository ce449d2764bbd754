//! symdiff-swell (under construction)
