#pragma once

// The exit codes of the CLI contract (docs/ARCHITECTURE.md), plus 8 for a catalog that cannot
// be opened. Scripts rely on these numbers: never renumber.
enum ExitCode : int {
    ExitOk = 0,
    ExitFailed = 1,
    ExitUsage = 2,
    ExitBlocked = 3,
    ExitUnknown = 4,
    ExitNotAllowed = 5,
    ExitInvalidPackage = 6,
    ExitUnreachable = 7,
    ExitCatalog = 8,
};
