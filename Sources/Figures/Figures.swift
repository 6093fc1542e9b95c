// Figures: the Cairo canvas, plots and diagrams, one function per figure, fed plain values
// (arrays, labels, captions), never a network, so a figure can be redrawn from out/data alone. It
// imports only the CCairo shim.
