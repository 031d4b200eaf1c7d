//! The application state and its one data flow: key → keymap → [`Action`] → [`App::update`] →
//! either UI state (focus, selection, overlays) or an [`Edit`](crate::edit::Edit) through the
//! session → [`App::settle`] (live results and layout brought up to date) → draw.
//!
//! The state is grouped by what it is about: the [`Session`] (design, history, derived results),
//! the [`Document`] (where the design lives on disk), [`Navigation`] (focus and per-pane
//! selection), the open [`Overlay`], the [`Live`] results, the background [`Worker`], and the
//! [`Screen`] layout. Drawing (`render`) reads all of it and changes none of it. Every input
//! (key, mouse, action, tick, resize) first installs what the background evaluation finished
//! (`catch_up`) and ends in `settle`, and [`App::draw`] does both before it draws, so what is
//! drawn always matches the session: the current design, and the results of the session's
//! evaluated revision (the previous one, marked as evaluating, while an evaluation is pending).
//!
//! The app is drivable headless: tests build it with [`App::new`], feed keys to
//! [`App::handle_key`], advance time with [`App::tick`] and draw with [`App::draw`] into a
//! `TestBackend`. Disk access goes through the [`Files`] seam only.

use super::action::Action;
use super::config::Config;
use super::files::Files;
use super::layout::Screen;
use super::lifecycle::Document;
use super::live::{Live, Selection};
use super::matrix::Matrix;
use super::overlay::Overlay;
use super::panes::peerings::FlagCursor;
use super::panes::{PaneId, PaneState, PaneStates};
use super::worker::Worker;
use crate::model::Flow;
use crate::session::Session;
use ratatui::crossterm::event::{KeyCode, KeyEvent, KeyModifiers};
use ratatui::layout::Rect;
use std::path::PathBuf;
use std::time::Duration;

/// Unsaved work is copied to the recovery file this long after the last edit.
pub const AUTOSAVE_DELAY: Duration = Duration::from_secs(2);

/// A message on the status bar.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Status {
    /// The sentence.
    pub text: String,
    /// Whether it reports a refusal or failure.
    pub error: bool,
}

/// Focus, per-pane selection and the peering flag cursor: navigation state, never history.
#[derive(Debug, Clone, Default)]
pub(super) struct Navigation {
    /// The focused pane.
    pub(super) focus: PaneId,
    /// Selection and filter of every pane.
    pub(super) panes: PaneStates,
    /// The peering flag under the Peerings pane's cursor.
    pub(super) flag_cursor: FlagCursor,
    /// Whether the focused pane is shown full screen.
    pub(super) full_screen: bool,
}

/// The whole UI state.
pub struct App {
    pub(super) session: Session,
    pub(super) config: Config,
    pub(super) document: Document,
    pub(super) nav: Navigation,
    /// The open popup. It is changed in place while open and removed only by `close_overlay`,
    /// so no path can lose it.
    pub(super) overlay: Option<Overlay>,
    pub(super) status: Option<Status>,
    pub(super) quit: bool,
    pub(super) live: Live,
    pub(super) worker: Worker,
    pub(super) screen: Screen,
    /// The Topology pane's picture, selection and scroll.
    pub(super) topology: super::topology::TopologyPane,
    /// The rows and columns the matrix shows (filter, only blocked / changed).
    pub(super) matrix_view: super::matrix_view::MatrixView,
    /// The lesson in progress, predict-then-reveal and the presenter mode.
    pub(super) teach: super::lesson::Teach,
    /// The row models of the panes that follow the design alone, for the current design.
    pub(super) targets_memo: std::cell::RefCell<super::selection::TargetsMemo>,
}

impl App {
    /// An app over a session. `file` is where the design came from (`None`: the embedded
    /// start-up design or a new one). Offers to recover unsaved work left for that file by an
    /// instance that has ended (without a file: untitled work).
    pub fn new(
        session: Session,
        config: Config,
        files: Box<dyn Files>,
        file: Option<PathBuf>,
    ) -> App {
        let document = Document::new(files, file, session.revision());
        let mut app = App {
            session,
            config,
            document,
            nav: Navigation::default(),
            overlay: None,
            status: None,
            quit: false,
            live: Live::default(),
            worker: Worker::default(),
            screen: Screen::default(),
            topology: super::topology::TopologyPane::default(),
            matrix_view: super::matrix_view::MatrixView::default(),
            teach: super::lesson::Teach::default(),
            targets_memo: Default::default(),
        };
        // Start on the first VNet so the Route table and NSG panes have a subnet to follow.
        if !app.session.design().vnets.is_empty() {
            app.nav.panes[PaneId::Vnets].selected = 1;
        }
        if let Some(problem) = app.config.problems.first() {
            app.status = Some(Status {
                text: problem.clone(),
                error: true,
            });
        }
        app.offer_recovery();
        app.settle();
        app
    }

    /// The session (design, history, derived results).
    pub fn session(&self) -> &Session {
        &self.session
    }

    /// Whether the user asked to quit.
    pub fn should_quit(&self) -> bool {
        self.quit
    }

    /// The focused pane.
    pub fn focus(&self) -> PaneId {
        self.nav.focus
    }

    /// The status-bar message, if any.
    pub fn status(&self) -> Option<&Status> {
        self.status.as_ref()
    }

    /// The open overlay, if any.
    pub fn overlay(&self) -> Option<&Overlay> {
        self.overlay.as_ref()
    }

    /// The file the design is saved to.
    pub fn file(&self) -> Option<&std::path::Path> {
        self.document.path()
    }

    /// The flow the matrix is evaluated for.
    pub fn flow(&self) -> Flow {
        self.session.flow()
    }

    /// The selection state of a pane.
    pub fn pane_state(&self, pane: PaneId) -> &PaneState {
        &self.nav.panes[pane]
    }

    /// The reachability matrix as the panel shows it (grouped or not, with expanded groups).
    pub fn matrix(&self) -> Option<&Matrix> {
        self.live.matrix()
    }

    /// Where the parts of the last laid-out frame go (panes, the matrix's cells).
    pub fn screen(&self) -> &Screen {
        &self.screen
    }

    /// Puts a note on the status line (as after an action), for the start-up of `vnetlab NEW.ron`.
    pub fn say_new(&mut self, text: impl Into<String>) {
        self.say(text);
    }

    pub(super) fn say(&mut self, text: impl Into<String>) {
        self.status = Some(Status {
            text: text.into(),
            error: false,
        });
    }

    pub(super) fn refuse(&mut self, text: impl Into<String>) {
        self.status = Some(Status {
            text: text.into(),
            error: true,
        });
    }

    /// Handles one key press.
    pub fn handle_key(&mut self, key: KeyEvent) {
        self.catch_up();
        if self.overlay.is_some() {
            self.handle_overlay_key(key);
        } else if self.nav.panes[self.nav.focus].filtering {
            self.handle_filter_key(key);
        } else {
            match self.config.keymap.resolve(self.nav.focus, key) {
                Some(action) => self.apply_action(action),
                None => {
                    if key.modifiers.contains(KeyModifiers::CONTROL)
                        && key.code == KeyCode::Char('c')
                    {
                        self.apply_action(Action::Quit);
                    }
                }
            }
        }
        self.settle();
    }

    /// Performs one action (as if its key were pressed).
    pub fn update(&mut self, action: Action) {
        self.catch_up();
        self.apply_action(action);
        self.settle();
    }

    /// Applies an edit as a form or a key would (evaluated inline or in the background, a
    /// refusal said on the status bar); returns whether it was applied. For headless drivers
    /// such as `vnetlab bench`.
    pub fn apply_edit(&mut self, edit: crate::edit::Edit) -> bool {
        self.catch_up();
        let applied = self.apply(edit);
        self.settle();
        applied
    }

    /// The terminal is now `size`: lays out the frame for it.
    pub fn resize(&mut self, size: Rect) {
        if size != self.teach.terminal {
            self.teach.terminal = size;
            self.settle();
        }
    }

    /// Settles the state for the terminal's current size (adopting a background evaluation
    /// that landed since the last input) and draws a frame.
    pub fn draw<B: ratatui::backend::Backend>(
        &mut self,
        terminal: &mut ratatui::Terminal<B>,
    ) -> Result<(), B::Error> {
        let size = terminal.size()?;
        self.teach.terminal = Rect::new(0, 0, size.width, size.height);
        self.catch_up();
        self.settle();
        terminal.draw(|frame| self.render(frame))?;
        Ok(())
    }

    /// Installs what the background evaluation finished since the last input (without
    /// waiting); the settle that follows every input brings the live results up to it.
    pub(super) fn catch_up(&mut self) {
        self.collect_worker();
    }

    /// Brings the live results up to date with the session and the selection.
    pub(super) fn refresh_live(&mut self) {
        let selection = Selection {
            subnet: self.vnets_context().0,
        };
        self.live.refresh(&self.session, &selection);
    }

    /// Brings everything drawing reads up to date after a change: the matrix capacity of the
    /// current layout, the live results, and the layout of the matrix's cells.
    pub(super) fn settle(&mut self) {
        // The panes get what the lesson card and the presenter's banner leave.
        let size = self.teach_areas(self.teach.terminal).panes;
        let areas = super::layout::arrange(size, self.nav.focus, self.nav.full_screen);
        if let Some(rect) = areas.rect_of(PaneId::Reach) {
            self.live.set_capacity(super::panes::reach::capacity(rect));
        }
        self.refresh_live();
        self.refresh_matrix_view();
        self.regrade_lesson();
        if let Some(rect) = areas.rect_of(PaneId::Topology) {
            self.refresh_topology(rect);
        }
        self.screen = Screen::new(
            size,
            self.nav.focus,
            self.nav.full_screen,
            &self.live,
            &self.matrix_view,
            &self.session,
        );
        self.screen.peerings = self
            .screen
            .areas
            .rect_of(PaneId::Peerings)
            .map(|rect| self.peerings_split(rect.inner(ratatui::layout::Margin::new(1, 1))));
    }
}
