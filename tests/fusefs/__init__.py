"""A slow FUSE file system without inode numbers, for the scan tests and the benchmark."""
