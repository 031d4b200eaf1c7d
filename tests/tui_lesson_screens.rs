//! Snapshots of the teaching screens (lesson mode, predict-then-reveal, presenter mode) at
//! 160×48 and 100×30, and the selection without colour (`NO_COLOR`): visible by attributes.
#![cfg(feature = "tui")]
#![allow(clippy::unwrap_used)]

mod tui_support;

use ratatui::style::{Color, Modifier};
use tui_support::{draw, press, screen};
use vnetlab::model::Design;
use vnetlab::session::Session;
use vnetlab::tui::theme::Theme;
use vnetlab::tui::{App, Config, MemoryFiles};

fn lesson_app(id: &str, config: Config) -> App {
    let mut app = App::new(
        Session::new(Design::empty("before")),
        config,
        Box::new(MemoryFiles::default()),
        None,
    );
    app.open_lesson(id).unwrap();
    app
}

#[test]
fn lesson_mode_at_160x48_and_100x30() {
    let mut app = lesson_app("one-sided-peering", Config::embedded());
    press(&mut app, "I");
    insta::assert_snapshot!("lesson_160x48", draw(&mut app, 160, 48).backend());
    insta::assert_snapshot!("lesson_100x30", draw(&mut app, 100, 30).backend());
    press(&mut app, "2 r");
    insta::assert_snapshot!("lesson_complete_160x48", draw(&mut app, 160, 48).backend());
}

#[test]
fn reveal_mode_hides_verdicts_until_answered() {
    let mut app = lesson_app("non-transitive", Config::embedded());
    press(&mut app, "R");
    let hidden = screen(&mut app, 160, 48);
    assert!(hidden.contains("predict, then reveal"), "{hidden}");
    // Neither the matrix summary nor the lesson's goals tell the answer.
    assert!(!hidden.contains("endpoints · ✓"), "{hidden}");
    assert!(hidden.contains("? vm-a reaches vm-c"), "{hidden}");
    assert!(!hidden.contains("✗ vm-a reaches vm-c"), "{hidden}");
    insta::assert_snapshot!("reveal_160x48", draw(&mut app, 160, 48).backend());
    insta::assert_snapshot!("reveal_100x30", draw(&mut app, 100, 30).backend());
    // The selected pair: R asks, Enter predicts "reachable".
    press(&mut app, "g l R");
    let asked = screen(&mut app, 160, 48);
    assert!(asked.contains("Predict: "), "{asked}");
    press(&mut app, "enter");
    let status = app.status().unwrap().text.clone();
    assert!(
        status.starts_with("✓ right: ") || status.starts_with("✗ not quite: "),
        "{status}"
    );
    assert!(status.contains("concept: "), "{status}");
    insta::assert_snapshot!("revealed_160x48", draw(&mut app, 160, 48).backend());
    // Esc closes the reveal; R on the revealed pair ends the mode with the score.
    press(&mut app, "esc R");
    assert!(
        app.status().unwrap().text.contains("of 1 prediction right"),
        "{:?}",
        app.status()
    );
    assert!(!screen(&mut app, 160, 48).contains("predict, then reveal"));
}

#[test]
fn presenter_mode_cycles_card_matrix_topology_then_off() {
    let mut app = lesson_app("first-peering", Config::embedded());
    press(&mut app, "P");
    let card = screen(&mut app, 100, 30);
    assert!(card.contains("F I R S T"), "{card}");
    insta::assert_snapshot!("presenter_card_160x48", draw(&mut app, 160, 48).backend());
    insta::assert_snapshot!("presenter_card_100x30", draw(&mut app, 100, 30).backend());
    press(&mut app, "P");
    assert!(screen(&mut app, 100, 30).contains("who reaches whom"));
    insta::assert_snapshot!("presenter_matrix_100x30", draw(&mut app, 100, 30).backend());
    insta::assert_snapshot!("presenter_matrix_160x48", draw(&mut app, 160, 48).backend());
    press(&mut app, "P");
    assert!(screen(&mut app, 100, 30).contains("the picture"));
    press(&mut app, "P");
    let off = screen(&mut app, 100, 30);
    assert!(!off.contains("F I R S T"), "{off}");
    // The presenter's theme is the high-contrast one, and the normal theme comes back.
    let terminal = draw(&mut app, 100, 30);
    let status_row = terminal.backend().buffer()[(2, 29)].bg;
    assert_ne!(status_row, Color::Black, "the default theme is back");
}

/// The buffer without colours: symbols and modifiers only.
fn without_colour(app: &mut App, width: u16, height: u16) -> Vec<(String, Modifier)> {
    let terminal = draw(app, width, height);
    let buffer = terminal.backend().buffer();
    let mut cells = Vec::new();
    for y in 0..height {
        for x in 0..width {
            let cell = &buffer[(x, y)];
            assert_eq!(
                (cell.fg, cell.bg),
                (Color::Reset, Color::Reset),
                "colour at {x},{y}"
            );
            cells.push((cell.symbol().to_string(), cell.modifier));
        }
    }
    cells
}

#[test]
fn without_colour_the_selection_and_the_focused_pane_are_visible() {
    let config = Config {
        theme: Theme::no_color(),
        ..Config::embedded()
    };
    let mut app = App::new(
        Session::new(vnetlab::io::examples::default_design()),
        config,
        Box::new(MemoryFiles::default()),
        None,
    );
    // The matrix cursor: two positions differ without colour.
    press(&mut app, "6 g");
    let here = without_colour(&mut app, 100, 30);
    press(&mut app, "l");
    let there = without_colour(&mut app, 100, 30);
    let moved: Vec<usize> = (0..here.len()).filter(|i| here[*i] != there[*i]).collect();
    assert!(!moved.is_empty());
    assert!(
        moved.iter().any(|i| here[*i].0 == there[*i].0
            && here[*i].1.contains(Modifier::REVERSED) != there[*i].1.contains(Modifier::REVERSED)),
        "the cursor cell's symbol stays and only its reverse video moves"
    );
    // A list's selection: two rows of the VNets pane.
    press(&mut app, "1 g j");
    let first = without_colour(&mut app, 100, 30);
    press(&mut app, "j");
    let second = without_colour(&mut app, 100, 30);
    assert_ne!(first, second);
    let reversed_rows = |cells: &[(String, Modifier)]| -> Vec<usize> {
        (0..30)
            .filter(|y| {
                (2..48).all(|x| cells[y * 100 + x].1.contains(Modifier::REVERSED))
                    && *y > 1
                    && *y < 28
            })
            .collect()
    };
    assert_ne!(reversed_rows(&first), reversed_rows(&second));
    // The focused pane's title is in reverse video; another pane's is not.
    let title_row = &first[100..200];
    assert!(
        title_row
            .iter()
            .any(|(_, m)| m.contains(Modifier::REVERSED))
    );
    insta::assert_snapshot!("no_color_100x30", draw(&mut app, 100, 30).backend());
}

#[test]
fn the_matrix_shows_the_flow_the_lessons_goals_grade() {
    // Lesson 1's goals are about RDP; the matrix must not show tcp/443 beside them.
    let mut app = lesson_app("first-peering", Config::embedded());
    let text = screen(&mut app, 160, 48);
    assert!(text.contains("Reachability · tcp/3389"), "{text}");
    assert!(text.contains("vm-a reaches vm-b on RDP"), "{text}");
    for lesson in vnetlab::lesson::bundled::lessons() {
        let app = lesson_app(&lesson.id, Config::embedded());
        if let Some(flow) = lesson.flow() {
            assert_eq!(app.session().flow(), flow, "{}", lesson.id);
        }
    }
}

#[test]
fn a_page_longer_than_the_card_reads_on_with_the_page_key_at_100x30() {
    let mut app = lesson_app("one-sided-peering", Config::embedded());
    let page = vnetlab::lesson::bundled::lesson("one-sided-peering")
        .unwrap()
        .pages[0]
        .clone();
    let last_words: String = page.split(' ').rev().take(3).collect::<Vec<_>>().join(" ");
    let first = screen(&mut app, 100, 30);
    // Cut, and said so: the last row shown ends in the key that reads on.
    assert!(first.contains("…   ] ✗"), "{first}");
    assert!(!first.contains(&last_words), "{first}");
    press(&mut app, "]");
    let next = screen(&mut app, 100, 30);
    assert!(next.contains("page 1 of 3"), "{next}");
    assert!(next.contains("[ … "), "{next}");
    // Reading on until the page's end, then `]` turns the page.
    let mut seen = next.contains(&last_words.split(' ').next_back().unwrap().to_string());
    for _ in 0..5 {
        if screen(&mut app, 100, 30).contains("page 2 of 3") {
            break;
        }
        seen |= screen(&mut app, 100, 30).contains(last_words.split(' ').next_back().unwrap());
        press(&mut app, "]");
    }
    assert!(seen, "the page's last words were never shown");
    assert!(screen(&mut app, 100, 30).contains("page 2 of 3"));
    // `[` reads back to the top of page 1 and then turns back.
    press(&mut app, "[");
    let back = screen(&mut app, 100, 30);
    assert!(back.contains("page 1 of 3"), "{back}");
}

/// The cells (symbol and style) of the Topology pane as drawn at 160×48.
fn topology_cells(app: &mut App) -> Vec<(String, ratatui::style::Style)> {
    let terminal = draw(app, 160, 48);
    let rect = app
        .screen()
        .areas
        .rect_of(vnetlab::tui::panes::PaneId::Topology)
        .unwrap();
    let buffer = terminal.backend().buffer();
    let mut cells = Vec::new();
    for y in rect.y..rect.y + rect.height {
        for x in rect.x..rect.x + rect.width {
            let cell = &buffer[(x, y)];
            cells.push((cell.symbol().to_string(), cell.style()));
        }
    }
    cells
}

#[test]
fn predicting_hides_the_pairs_path_in_the_topology_and_the_diagnostics() {
    let mut app = lesson_app("non-transitive", Config::embedded());
    // vm-a → vm-c (blocked): its path is drawn in the topology while not predicting.
    // (8 shows the Topology pane beside the matrix, whose cursor stays on the pair.)
    press(&mut app, "6 g l l 8");
    let shown = topology_cells(&mut app);
    press(&mut app, "R");
    press(&mut app, "6 g l l 8");
    let hidden = topology_cells(&mut app);
    assert_ne!(
        shown, hidden,
        "the topology still draws the hidden pair's path"
    );
    press(&mut app, "7");
    let text = screen(&mut app, 160, 48);
    assert!(
        text.contains("│hidden while predicting: the findings would"),
        "{text}"
    );
    // Answered (Esc closes the reveal): the pair is revealed and its path shows again.
    press(&mut app, "R enter esc 8");
    assert_eq!(topology_cells(&mut app), shown);
}
