//! symdiff-rewrite (under construction)
