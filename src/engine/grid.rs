//! [`Grid`]: a `u32` per class cell, stored in copy-on-write square tiles. It holds the
//! footprint set id (`footprint::CellReads`) and the outcome id (`Analysis`) of every cell.
//!
//! Why tiles: an analysis after an edit starts from the previous revision's cells and changes
//! only the cells it re-walks, usually a few rows and columns. As one flat `Vec`, every edit
//! copied all of them (4 MB at 1,008 classes, ≈2 ms with the page faults of fresh memory; for
//! the outcomes at 2,008 classes, 16 MB and ≈2.5 ms) and held both copies. As tiles of 32 × 32
//! cells behind `Arc`s, cloning a grid copies one pointer per tile, and [`Grid::set`] copies
//! only the tile it writes to (4 KB), the first time. A spoke edit at 1,008 classes rewrites a
//! few dozen of 1,024 tiles; the previous and the new analysis share the others.
//!
//! A read through the tiles measured about twice as slow as a flat one (2 × 10^6 reads: ≈7 ms
//! against ≈2.6 ms at 1,008 classes), so a reader of whole rows (the delta's full scan) copies a
//! row out first ([`Grid::row_into`]). An edit that renumbers the classes builds a new grid,
//! copying the previous one's rows in runs ([`Grid::from_rows`], [`Grid::carry_row`]); the usual
//! edit, which keeps every class's number, shares all tiles but the ones it writes, and so does
//! one that splits or merges a few classes in place ([`Grid::resized`] to the new count).
//!
//! Each tile also keeps a 64-bit mask of the values it holds (bit `value % 64`, set for every
//! value written, so a superset): an edit that touches a few footprints lists the cells holding
//! them by skipping every tile whose mask has none of their bits ([`Grid::tile_mask`]), where
//! reading every cell cost ≈3–7 ms at 1,008 classes.
//!
//! Cost: a read is two shifts, two masks and two indexed loads; the last row and column of
//! tiles are padded to a whole tile (at most 31 rows and columns of `u32`); 8 bytes of mask per
//! tile.

use std::sync::Arc;

/// Cells per side of a tile.
pub(crate) const SIDE: usize = 32;
/// Cells per tile.
const TILE: usize = SIDE * SIDE;

/// One tile: its cells, row-major, and the mask of the values written to it.
#[derive(Debug, Clone)]
struct Tile {
    cells: [u32; TILE],
    mask: u64,
}

impl Tile {
    /// A tile whose first `rows` rows and `columns` columns are cells of the grid (the rest is
    /// padding, left out of the mask).
    fn new(cells: [u32; TILE], rows: usize, columns: usize) -> Arc<Tile> {
        let mask = cells
            .chunks(SIDE)
            .take(rows)
            .flat_map(|row| &row[..columns])
            .fold(0, |mask, &value| mask | Grid::bit(value));
        Arc::new(Tile { cells, mask })
    }
}

/// An `n × n` matrix of `u32` in shared tiles (see the module documentation). Cell `(a, b)` is
/// row `a` (source class), column `b` (destination class).
#[derive(Debug, Clone, Default)]
pub(crate) struct Grid {
    n: usize,
    /// Tiles per row of tiles.
    across: usize,
    /// Row-major tiles.
    tiles: Vec<Arc<Tile>>,
}

impl Grid {
    /// A grid of `n × n` cells from its cells in row-major order (`cells.len()` is `n * n`;
    /// missing cells read as 0).
    pub fn from_row_major(n: usize, cells: &[u32]) -> Grid {
        debug_assert_eq!(cells.len(), n * n);
        let across = n.div_ceil(SIDE);
        let mut tiles = Vec::with_capacity(across * across);
        for tile_row in 0..across {
            for tile_column in 0..across {
                let mut tile = [0u32; TILE];
                let (rows, width) = (
                    SIDE.min(n - tile_row * SIDE),
                    SIDE.min(n - tile_column * SIDE),
                );
                for r in 0..rows {
                    let a = tile_row * SIDE + r;
                    let start = a * n + tile_column * SIDE;
                    if let Some(row) = cells.get(start..start + width) {
                        tile[r * SIDE..r * SIDE + width].copy_from_slice(row);
                    }
                }
                tiles.push(Tile::new(tile, rows, width));
            }
        }
        Grid { n, across, tiles }
    }

    /// An `n × n` grid whose cell `(a, b)` is `f(a, b)`, called once per cell, tile by tile
    /// (so each tile is filled while it is in cache).
    pub fn from_fn(n: usize, mut f: impl FnMut(usize, usize) -> u32) -> Grid {
        Grid::from_rows(n, |a, b, cells| {
            for (k, cell) in cells.iter_mut().enumerate() {
                *cell = f(a, b + k);
            }
        })
    }

    /// An `n × n` grid filled a tile row at a time: `fill(a, b, cells)` writes cells
    /// `(a, b)..(a, b + cells.len())`, at most a tile wide, tile by tile (so each tile is
    /// filled while it is in cache, and a caller copying runs of cells copies them whole).
    pub fn from_rows(n: usize, mut fill: impl FnMut(usize, usize, &mut [u32])) -> Grid {
        let across = n.div_ceil(SIDE);
        let mut tiles = Vec::with_capacity(across * across);
        for t in 0..across * across {
            let (row0, column0) = ((t / across) * SIDE, (t % across) * SIDE);
            let mut tile = [0u32; TILE];
            let (rows, columns) = (SIDE.min(n - row0), SIDE.min(n - column0));
            for r in 0..rows {
                fill(row0 + r, column0, &mut tile[r * SIDE..r * SIDE + columns]);
            }
            tiles.push(Tile::new(tile, rows, columns));
        }
        Grid { n, across, tiles }
    }

    /// This grid with `n` cells per side, sharing its tiles: the cells of both sides keep their
    /// values, cells new to it read 0. (Tiles never hold anything but 0 outside the grid, so a
    /// tile at the edge that gains cells only gets 0 added to its mask; one that loses cells
    /// has them set back to 0.)
    pub fn resized(&self, n: usize) -> Grid {
        if n == self.n {
            return self.clone();
        }
        let across = n.div_ceil(SIDE);
        let mut tiles = Vec::with_capacity(across * across);
        for t in 0..across * across {
            let (tile_row, tile_column) = (t / across, t % across);
            let (row0, column0) = (tile_row * SIDE, tile_column * SIDE);
            let inside = |side: usize| {
                (
                    SIDE.min(side.saturating_sub(row0)),
                    SIDE.min(side.saturating_sub(column0)),
                )
            };
            let ((rows_was, columns_was), (rows, columns)) = (inside(self.n), inside(n));
            let Some(old) = (tile_row < self.across && tile_column < self.across)
                .then(|| &self.tiles[tile_row * self.across + tile_column])
            else {
                tiles.push(Tile::new([0; TILE], rows, columns));
                continue;
            };
            let mut tile = Arc::clone(old);
            if (rows, columns) != (rows_was, columns_was) {
                let cells = &mut Arc::make_mut(&mut tile).cells;
                for r in 0..SIDE {
                    for c in 0..SIDE {
                        if r >= rows || c >= columns {
                            cells[r * SIDE + c] = 0;
                        }
                    }
                }
                if rows > rows_was || columns > columns_was {
                    Arc::make_mut(&mut tile).mask |= Grid::bit(0);
                }
            }
            tiles.push(tile);
        }
        Grid { n, across, tiles }
    }

    /// Copies cells `(a, b)..(a, b + out.len())` into `out`; they are all below
    /// [`Grid::side`].
    pub fn copy_row(&self, a: usize, b: usize, out: &mut [u32]) {
        debug_assert!(
            a < self.n && b + out.len() <= self.n,
            "row {a} from {b} outside"
        );
        let (tile_row, r) = (a / SIDE, a % SIDE);
        let mut done = 0;
        while done < out.len() {
            let column = b + done;
            let (tile, c) = (column / SIDE, column % SIDE);
            let take = (SIDE - c).min(out.len() - done);
            let cells = &self.tiles[tile_row * self.across + tile].cells;
            out[done..done + take].copy_from_slice(&cells[r * SIDE + c..r * SIDE + c + take]);
            done += take;
        }
    }

    /// Row `a` whole, into `out` (its previous contents dropped): a caller reading many cells
    /// of one row reads them from `out`, two loads each, not through the tiles.
    pub fn row_into(&self, a: usize, out: &mut Vec<u32>) {
        out.clear();
        out.resize(self.n, 0);
        if a < self.n {
            self.copy_row(a, 0, out);
        }
    }

    /// Fills `out`, the cells of a new row from column `start` on, with what `runs` carries
    /// from row `x` of `previous`: each run (column, previous column, length) is copied whole
    /// (`incremental::column_runs`); cells no run covers are left as they are.
    pub fn carry_row(
        previous: &Grid,
        (x, start): (usize, usize),
        runs: &[(usize, usize, usize)],
        out: &mut [u32],
    ) {
        let end = start + out.len();
        for &(b, y, len) in runs {
            let (from, to) = (b.max(start), (b + len).min(end));
            if from < to {
                previous.copy_row(x, y + (from - b), &mut out[from - start..to - start]);
            }
        }
    }

    /// Cells per side.
    pub fn side(&self) -> usize {
        self.n
    }

    /// Number of cells, `side()²`.
    #[cfg(test)]
    pub fn len(&self) -> usize {
        self.n * self.n
    }

    /// The cell `(a, b)`; both are below [`Grid::side`].
    pub fn get(&self, a: usize, b: usize) -> u32 {
        debug_assert!(a < self.n && b < self.n, "({a}, {b}) outside {}", self.n);
        self.tiles[(a / SIDE) * self.across + b / SIDE].cells[(a % SIDE) * SIDE + b % SIDE]
    }

    /// The cell at `a * side() + b` (the numbering [`Grid::set`] takes).
    pub fn at(&self, cell: usize) -> u32 {
        self.get(cell / self.n, cell % self.n)
    }

    /// The bit of `value` in a tile's mask.
    pub fn bit(value: u32) -> u64 {
        1 << (value % 64)
    }

    /// The mask of the tile holding rows `tile_row * SIDE..` and columns `tile_column * SIDE..`:
    /// every value in it has its [`Grid::bit`] set (a set bit does not prove a value is there).
    pub fn tile_mask(&self, tile_row: usize, tile_column: usize) -> u64 {
        self.tiles
            .get(tile_row * self.across + tile_column)
            .map_or(u64::MAX, |tile| tile.mask)
    }

    /// Sets the cell at `a * side() + b`, copying its tile first if another grid shares it.
    pub fn set(&mut self, cell: usize, value: u32) {
        let (a, b) = (cell / self.n, cell % self.n);
        debug_assert!(a < self.n, "cell {cell} outside {}", self.n);
        let tile = &mut self.tiles[(a / SIDE) * self.across + b / SIDE];
        if tile.cells[(a % SIDE) * SIDE + b % SIDE] != value {
            let tile = Arc::make_mut(tile);
            tile.cells[(a % SIDE) * SIDE + b % SIDE] = value;
            tile.mask |= Grid::bit(value);
        }
    }

    /// Every cell in row-major order.
    #[cfg(test)]
    pub fn iter(&self) -> impl Iterator<Item = u32> + '_ {
        (0..self.n).flat_map(move |a| (0..self.n).map(move |b| self.get(a, b)))
    }

    /// The same grid with every cell mapped through `f`.
    pub fn map(&self, mut f: impl FnMut(u32) -> u32) -> Grid {
        Grid::from_fn(self.n, |a, b| f(self.get(a, b)))
    }

    /// How many tiles this grid shares with `other` (the memory an edit did not copy), tile
    /// `(row, column)` of one against the same tile of the other.
    #[cfg(test)]
    pub fn shared_tiles(&self, other: &Grid) -> usize {
        let across = self.across.min(other.across);
        (0..across * across)
            .filter(|t| {
                let (row, column) = (t / across, t % across);
                Arc::ptr_eq(
                    &self.tiles[row * self.across + column],
                    &other.tiles[row * other.across + column],
                )
            })
            .count()
    }

    /// Number of tiles.
    #[cfg(test)]
    pub fn tiles(&self) -> usize {
        self.tiles.len()
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use proptest::prelude::*;

    proptest! {
        /// A grid filled a row segment at a time, or copied from row by row, holds what
        /// the build from row-major cells gives.
        #[test]
        fn filling_rows_and_copying_them_agree_with_cells(n in 0usize..80, start in 0usize..80) {
            let value = |a: usize, b: usize| u32::try_from(a * 131 + b * 7).unwrap_or(0);
            let flat: Vec<u32> = (0..n * n).map(|i| value(i / n, i % n)).collect();
            let cells = Grid::from_row_major(n, &flat);
            let rows = Grid::from_rows(n, |a, b, out| {
                for (k, cell) in out.iter_mut().enumerate() {
                    *cell = value(a, b + k);
                }
            });
            prop_assert_eq!(rows.iter().collect::<Vec<_>>(), cells.iter().collect::<Vec<_>>());
            for a in 0..n {
                let b = start % n;
                let mut out = vec![0; n - b];
                cells.copy_row(a, b, &mut out);
                let expected: Vec<u32> = (b..n).map(|b| value(a, b)).collect();
                prop_assert_eq!(out, expected);
            }
        }

        /// A grid reads back the row-major cells it was built from, and after any writes reads
        /// what a flat vector would; the grid it was cloned from is unchanged.
        #[test]
        fn a_grid_reads_like_a_flat_vector_and_clones_stay_apart(
            n in 0usize..80,
            writes in proptest::collection::vec((any::<usize>(), 0u32..1_000_000), 0..40),
        ) {
            let flat: Vec<u32> = (0..n * n)
                .map(|i| u32::try_from(i % 1000).unwrap_or(0) * 7)
                .collect();
            let grid = Grid::from_row_major(n, &flat);
            prop_assert_eq!(grid.iter().collect::<Vec<_>>(), flat.clone());
            let mut edited = grid.clone();
            let mut expected = flat.clone();
            for (cell, value) in writes {
                if n == 0 {
                    break;
                }
                let cell = cell % (n * n);
                edited.set(cell, value);
                expected[cell] = value;
            }
            prop_assert_eq!(edited.iter().collect::<Vec<_>>(), expected.clone());
            for (cell, &value) in expected.iter().enumerate() {
                let (a, b) = (cell / n, cell % n);
                prop_assert_eq!(edited.get(a, b), value);
                // Every value's bit is in its tile's mask, after writes too.
                prop_assert!(edited.tile_mask(a / SIDE, b / SIDE) & Grid::bit(value) != 0);
            }
            let tripled = Grid::from_fn(n, |a, b| 3 * edited.get(a, b));
            prop_assert_eq!(
                tripled.iter().collect::<Vec<_>>(),
                expected.iter().map(|v| 3 * v).collect::<Vec<_>>()
            );
            prop_assert_eq!(grid.iter().collect::<Vec<_>>(), flat);
        }
    }

    proptest! {
        /// A resized grid reads the cells both sides share as before and 0 elsewhere, every
        /// value's bit is in its tile's mask, writes after the resize read back, and the grid it
        /// was resized from is unchanged.
        #[test]
        fn a_resized_grid_keeps_the_shared_cells_and_reads_zero_elsewhere(
            n in 0usize..80,
            to in 0usize..80,
            writes in proptest::collection::vec((any::<usize>(), 1u32..1_000), 0..20),
        ) {
            let value = |a: usize, b: usize| u32::try_from(1 + a * 97 + b).unwrap_or(1);
            let grid = Grid::from_fn(n, value);
            let mut resized = grid.resized(to);
            prop_assert_eq!(resized.side(), to);
            let mut expected: Vec<u32> = (0..to * to)
                .map(|cell| {
                    let (a, b) = (cell / to, cell % to);
                    if a < n && b < n { value(a, b) } else { 0 }
                })
                .collect();
            for (cell, v) in writes {
                if to == 0 {
                    break;
                }
                let cell = cell % (to * to);
                resized.set(cell, v);
                expected[cell] = v;
            }
            prop_assert_eq!(resized.iter().collect::<Vec<_>>(), expected.clone());
            for (cell, &v) in expected.iter().enumerate() {
                let (a, b) = (cell / to, cell % to);
                prop_assert!(resized.tile_mask(a / SIDE, b / SIDE) & Grid::bit(v) != 0);
            }
            // Resized back, nothing outside the smaller side survives.
            let back = resized.resized(n);
            for a in 0..n {
                for b in 0..n {
                    let inside = a < to && b < to;
                    let v = if inside { expected[a * to + b] } else { 0 };
                    prop_assert_eq!(back.get(a, b), v);
                }
            }
            prop_assert_eq!(grid.iter().collect::<Vec<_>>(), Grid::from_fn(n, value).iter().collect::<Vec<_>>());
        }
    }

    #[test]
    fn resizing_shares_every_tile_it_does_not_cut_or_grow() {
        let grid = Grid::from_fn(100, |a, b| u32::try_from(a + b).unwrap_or(0));
        // 100 and 101 cells both need 4 tiles a side; only the edge tiles change.
        let grown = grid.resized(101);
        assert_eq!(grown.shared_tiles(&grid), 9);
        assert_eq!(grid.resized(100).shared_tiles(&grid), 16);
    }

    #[test]
    fn a_tiles_mask_holds_the_bits_of_its_values_only() {
        let n = 40;
        let grid = Grid::from_fn(n, |a, b| if a < SIDE && b < SIDE { 3 } else { 5 });
        assert_eq!(grid.tile_mask(0, 0), Grid::bit(3));
        assert_eq!(grid.tile_mask(0, 1), Grid::bit(5));
        assert_eq!(grid.tile_mask(1, 1), Grid::bit(5));
        let mut edited = grid.clone();
        edited.set(0, 70); // bit 6
        assert_eq!(edited.tile_mask(0, 0), Grid::bit(3) | Grid::bit(70));
        assert_eq!(grid.tile_mask(0, 0), Grid::bit(3));
    }

    #[test]
    fn writing_one_row_and_one_column_copies_only_their_tiles() {
        let n = 100;
        let grid = Grid::from_row_major(n, &vec![1; n * n]);
        assert_eq!(grid.tiles(), 16);
        let mut edited = grid.clone();
        assert_eq!(edited.shared_tiles(&grid), 16);
        for i in 0..n {
            edited.set(5 * n + i, 2); // row 5: the first row of tiles
            edited.set(i * n + 70, 2); // column 70: the third column of tiles
        }
        // Four tiles in the first row of tiles, three more in the third column.
        assert_eq!(edited.shared_tiles(&grid), 16 - 7);
        // Writing a value a cell already holds copies nothing.
        let mut same = grid.clone();
        same.set(0, 1);
        assert_eq!(same.shared_tiles(&grid), 16);
    }
}
