//! A set of lessons in teaching order: the bundled ones, or a trainer's folder
//! ([`crate::io::lessons::load_dir`]). Looks lessons up by id and says which comes next.

use super::{Lesson, bundled};

/// Lessons in teaching order.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct Library {
    lessons: Vec<Lesson>,
}

impl Library {
    /// A library of these lessons, in this order.
    pub fn new(lessons: Vec<Lesson>) -> Self {
        Library { lessons }
    }

    /// The lessons embedded in the binary.
    pub fn bundled() -> Self {
        Library::new(bundled::lessons())
    }

    /// Every lesson, in order.
    pub fn lessons(&self) -> &[Lesson] {
        &self.lessons
    }

    /// The lesson with this id (the first, should two share it).
    pub fn get(&self, id: &str) -> Option<&Lesson> {
        self.lessons.iter().find(|l| l.id == id)
    }

    /// The lesson after the one with this id: what to offer once it is solved.
    pub fn next_after(&self, id: &str) -> Option<&Lesson> {
        let at = self.lessons.iter().position(|l| l.id == id)?;
        self.lessons.get(at + 1)
    }

    /// Whether there are no lessons.
    pub fn is_empty(&self) -> bool {
        self.lessons.is_empty()
    }
}
