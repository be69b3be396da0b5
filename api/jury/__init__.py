"""The jury's web and command-line surface."""
