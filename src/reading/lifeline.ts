// Imported first by the reader program, before the parsers take seconds to load: a reader whose
// bot is gone (exited, or killed) meanwhile has nothing left to read for, and would otherwise
// hear nothing of it and stay.
process.on('disconnect', () => process.exit(0));
if (!process.connected) process.exit(0);
