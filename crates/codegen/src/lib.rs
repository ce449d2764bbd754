//! symdiff-codegen (under construction)
