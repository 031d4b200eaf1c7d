//! Diagrams for slides and docs, from the same topology and folding as the picture.
