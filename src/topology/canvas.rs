//! A terminal-agnostic canvas: a grid of cells, each a character and a small style class the
//! shells map to colours (the TUI to its theme, SVG to fills). Lines are drawn by *arms*: each
//! cell remembers which of its four sides a line leaves by and with what stroke, and its glyph
//! is derived from that, so a line meeting a box border becomes `┤`, two lines crossing become
//! `┼`, and a double (global) line meeting a light border becomes `╡`.

/// The style of a cell, mapped to colours by the shell.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Default)]
pub enum Class {
    /// Ordinary text and lines.
    #[default]
    Normal,
    /// Secondary text, folded boxes, the grey box.
    Dim,
    /// A box's name line.
    Title,
    /// A hub's frame.
    Hub,
    /// Sites and P2S pools.
    Outside,
    /// Something that works (a reachable path's end).
    Ok,
    /// A one-sided (Initiated) peering.
    Warn,
    /// A Disconnected or out-of-sync peering, a blocking hop.
    Blocked,
    /// The selected box.
    Selected,
    /// A box matching the filter.
    Match,
    /// The request's path.
    PathForward,
    /// The reply's path.
    PathReply,
    /// Both directions' path.
    PathBoth,
}

/// One cell.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Cell {
    /// The character.
    pub ch: char,
    /// Its style.
    pub class: Class,
}

impl Default for Cell {
    fn default() -> Self {
        Cell {
            ch: ' ',
            class: Class::Normal,
        }
    }
}

/// How a line is drawn.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Default)]
pub enum Stroke {
    /// `─ │`.
    #[default]
    Light,
    /// `═ ║`: hubs' frames and global peerings.
    Double,
    /// `╌ ╎`: one-sided (Initiated) regional peering.
    Dashed,
    /// `╍ ╏`: one-sided global peering.
    HeavyDashed,
    /// `┈ ┊`: Disconnected.
    Dotted,
}

/// Arm bits: the sides of a cell a line leaves by.
pub const NORTH: u8 = 1;
/// East arm.
pub const EAST: u8 = 2;
/// South arm.
pub const SOUTH: u8 = 4;
/// West arm.
pub const WEST: u8 = 8;

#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
struct Arms {
    mask: u8,
    h: Stroke,
    v: Stroke,
}

/// A grid of cells; see the module docs.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Canvas {
    width: usize,
    height: usize,
    cells: Vec<Cell>,
    arms: Vec<Arms>,
    ascii: bool,
}

impl Canvas {
    /// A blank canvas; `ascii` draws lines with `+-|=:.` only.
    pub fn new(width: usize, height: usize, ascii: bool) -> Canvas {
        Canvas {
            width,
            height,
            cells: vec![Cell::default(); width * height],
            arms: vec![Arms::default(); width * height],
            ascii,
        }
    }
    /// Width in cells.
    pub fn width(&self) -> usize {
        self.width
    }
    /// Whether lines are drawn in ASCII.
    pub fn is_ascii(&self) -> bool {
        self.ascii
    }
    /// Height in cells.
    pub fn height(&self) -> usize {
        self.height
    }
    fn index(&self, x: i32, y: i32) -> Option<usize> {
        let (x, y) = (usize::try_from(x).ok()?, usize::try_from(y).ok()?);
        (x < self.width && y < self.height).then(|| y * self.width + x)
    }
    /// The cell at a position.
    pub fn get(&self, x: i32, y: i32) -> Option<Cell> {
        self.index(x, y).map(|i| self.cells[i])
    }
    /// Whether a cell is blank (no character, no line).
    pub fn is_blank(&self, x: i32, y: i32) -> bool {
        self.index(x, y)
            .is_some_and(|i| self.cells[i].ch == ' ' && self.arms[i].mask == 0)
    }
    /// Writes one character (outside the canvas: ignored).
    pub fn put(&mut self, x: i32, y: i32, ch: char, class: Class) {
        if let Some(i) = self.index(x, y) {
            self.cells[i] = Cell { ch, class };
        }
    }
    /// Writes text from a position, one character per cell.
    pub fn text(&mut self, x: i32, y: i32, text: &str, class: Class) {
        for (k, ch) in text.chars().enumerate() {
            self.put(x + k as i32, y, ch, class);
        }
    }
    /// Changes only the style of a cell.
    pub fn set_class(&mut self, x: i32, y: i32, class: Class) {
        if let Some(i) = self.index(x, y) {
            self.cells[i].class = class;
        }
    }
    /// Adds line arms to a cell and redraws its glyph; `class` replaces the cell's style
    /// unless `None`.
    pub fn arm(&mut self, x: i32, y: i32, mask: u8, stroke: Stroke, class: Option<Class>) {
        let Some(i) = self.index(x, y) else { return };
        let arms = &mut self.arms[i];
        arms.mask |= mask;
        if mask & (EAST | WEST) != 0 {
            arms.h = stroke;
        }
        if mask & (NORTH | SOUTH) != 0 {
            arms.v = stroke;
        }
        let ch = glyph(*arms, self.ascii);
        self.cells[i].ch = ch;
        if let Some(class) = class {
            self.cells[i].class = class;
        }
    }
    /// A copy of a window of the canvas; cells outside are blank.
    pub fn window(&self, x: i32, y: i32, width: usize, height: usize) -> Canvas {
        let mut out = Canvas::new(width, height, self.ascii);
        for row in 0..height {
            for col in 0..width {
                if let Some(cell) = self.get(x + col as i32, y + row as i32) {
                    out.cells[row * width + col] = cell;
                }
            }
        }
        out
    }
    /// The rows as strings, trailing blanks removed.
    pub fn lines(&self) -> Vec<String> {
        self.cells
            .chunks(self.width.max(1))
            .map(|row| {
                let text: String = row.iter().map(|c| c.ch).collect();
                text.trim_end().to_string()
            })
            .collect()
    }
    /// The whole canvas as text, trailing blank lines removed.
    pub fn to_text(&self) -> String {
        let mut lines = self.lines();
        while lines.last().is_some_and(String::is_empty) {
            lines.pop();
        }
        let mut text = lines.join("\n");
        text.push('\n');
        text
    }
}

/// The glyph for a set of arms.
fn glyph(arms: Arms, ascii: bool) -> char {
    let m = arms.mask;
    let horizontal = m & !(EAST | WEST) == 0;
    let vertical = m & !(NORTH | SOUTH) == 0;
    if ascii {
        return match (horizontal, vertical) {
            (true, _) => match arms.h {
                Stroke::Double => '=',
                Stroke::Dashed | Stroke::HeavyDashed => '.',
                Stroke::Dotted => ':',
                Stroke::Light => '-',
            },
            (_, true) => match arms.v {
                Stroke::Dashed | Stroke::HeavyDashed => ':',
                Stroke::Dotted => '.',
                Stroke::Light | Stroke::Double => '|',
            },
            _ => '+',
        };
    }
    if horizontal && m != 0 {
        return match arms.h {
            Stroke::Light => '─',
            Stroke::Double => '═',
            Stroke::Dashed => '╌',
            Stroke::HeavyDashed => '╍',
            Stroke::Dotted => '┈',
        };
    }
    if vertical && m != 0 {
        return match arms.v {
            Stroke::Light => '│',
            Stroke::Double => '║',
            Stroke::Dashed => '╎',
            Stroke::HeavyDashed => '╏',
            Stroke::Dotted => '┊',
        };
    }
    // Corners, tees and crosses: light or double per axis.
    let table = match (arms.h == Stroke::Double, arms.v == Stroke::Double) {
        (false, false) => ['┌', '┐', '└', '┘', '├', '┤', '┬', '┴', '┼'],
        (true, false) => ['╒', '╕', '╘', '╛', '╞', '╡', '╤', '╧', '╪'],
        (false, true) => ['╓', '╖', '╙', '╜', '╟', '╢', '╥', '╨', '╫'],
        (true, true) => ['╔', '╗', '╚', '╝', '╠', '╣', '╦', '╩', '╬'],
    };
    let slot = match m {
        x if x == EAST | SOUTH => 0,
        x if x == WEST | SOUTH => 1,
        x if x == NORTH | EAST => 2,
        x if x == NORTH | WEST => 3,
        x if x == NORTH | SOUTH | EAST => 4,
        x if x == NORTH | SOUTH | WEST => 5,
        x if x == EAST | WEST | SOUTH => 6,
        x if x == EAST | WEST | NORTH => 7,
        _ => 8,
    };
    table[slot]
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_line_meeting_a_border_becomes_a_tee() {
        let mut c = Canvas::new(3, 3, false);
        c.arm(1, 1, NORTH | SOUTH, Stroke::Light, None);
        c.arm(1, 1, WEST, Stroke::Double, None);
        assert_eq!(c.get(1, 1).map(|c| c.ch), Some('╡'));
        c.arm(1, 1, EAST, Stroke::Double, None);
        assert_eq!(c.get(1, 1).map(|c| c.ch), Some('╪'));
    }

    #[test]
    fn dashed_lines_stay_dashed_when_straight() {
        let mut c = Canvas::new(2, 1, false);
        c.arm(0, 0, EAST | WEST, Stroke::Dashed, None);
        assert_eq!(c.get(0, 0).map(|c| c.ch), Some('╌'));
        let mut c = Canvas::new(2, 1, true);
        c.arm(0, 0, EAST | WEST, Stroke::Dashed, None);
        assert_eq!(c.get(0, 0).map(|c| c.ch), Some('.'));
    }
}
