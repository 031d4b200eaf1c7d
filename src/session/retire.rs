//! Frees what a session replaced away from the thread that replaced it.
//!
//! Installing an evaluation replaces the previous one, and freeing that one is not free: on a
//! design of 2 hubs × 1,000 spokes its class matrix, footprints and compiled design are some
//! 10 MB in thousands of allocations, about 0.4 ms to free, and the TUI installs on the thread
//! that draws the next frame. [`retire`] hands such a value to one long-lived thread that drops
//! it instead; nothing waits for it.
//!
//! Cost: one thread for the life of the process, started by the first value retired, and one
//! channel send per value. A value sent while the thread cannot be started (or after it
//! ended) is dropped where it is, as before.

use std::sync::mpsc::{self, Sender, SyncSender};
use std::sync::{Mutex, OnceLock, PoisonError};

/// What the retiring thread is sent.
enum Retired {
    /// A value to drop.
    Value(Box<dyn Send>),
    /// Answer once everything sent before is dropped (tests).
    #[cfg_attr(not(test), allow(dead_code))]
    Flush(SyncSender<()>),
}

/// The retiring thread's inbox, when it could be started.
fn inbox() -> Option<&'static Mutex<Sender<Retired>>> {
    static INBOX: OnceLock<Option<Mutex<Sender<Retired>>>> = OnceLock::new();
    INBOX
        .get_or_init(|| {
            let (send, receive) = mpsc::channel::<Retired>();
            std::thread::Builder::new()
                .name("vnetlab-retire".into())
                .spawn(move || {
                    for retired in receive {
                        match retired {
                            Retired::Value(value) => drop(value),
                            Retired::Flush(done) => {
                                // The test that asked may have given up: nothing to tell.
                                let _ = done.send(());
                            }
                        }
                    }
                })
                .ok()
                .map(|_| Mutex::new(send))
        })
        .as_ref()
}

/// Drops `value` on the retiring thread (here, when that thread is not running).
pub(crate) fn retire<T: Send + 'static>(value: T) {
    let Some(inbox) = inbox() else {
        return;
    };
    let sent = inbox
        .lock()
        .unwrap_or_else(PoisonError::into_inner)
        .send(Retired::Value(Box::new(value)));
    // A failed send hands the value back inside the error, which then drops here.
    drop(sent);
}

/// Waits until every value retired before this call is dropped.
#[cfg(test)]
pub(crate) fn flush() {
    let Some(inbox) = inbox() else {
        return;
    };
    let (done, wait) = mpsc::sync_channel(1);
    let sent = inbox
        .lock()
        .unwrap_or_else(PoisonError::into_inner)
        .send(Retired::Flush(done));
    if sent.is_ok() {
        let _ = wait.recv();
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use std::sync::Arc;

    #[test]
    fn a_retired_value_is_dropped_on_another_thread() {
        let shared = Arc::new(String::from("old evaluation"));
        let weak = Arc::downgrade(&shared);
        let here = std::thread::current().id();
        /// Holds the value, and records on drop whether it was dropped off `made_on`.
        struct Probe {
            _value: Arc<String>,
            made_on: std::thread::ThreadId,
            elsewhere: Arc<Mutex<Option<bool>>>,
        }
        impl Drop for Probe {
            fn drop(&mut self) {
                *self
                    .elsewhere
                    .lock()
                    .unwrap_or_else(PoisonError::into_inner) =
                    Some(std::thread::current().id() != self.made_on);
            }
        }
        let elsewhere = Arc::new(Mutex::new(None));
        retire(Probe {
            _value: shared,
            made_on: here,
            elsewhere: Arc::clone(&elsewhere),
        });
        flush();
        assert!(weak.upgrade().is_none(), "the value is dropped");
        assert_eq!(
            *elsewhere.lock().unwrap_or_else(PoisonError::into_inner),
            Some(true)
        );
    }
}
