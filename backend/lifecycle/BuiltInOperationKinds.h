#pragma once

#include "operation/OperationKinds.h"

// The operation kinds of this build, Refresh database and Apply updates: the one
// place that names their jobs (RefreshJob, ApplyJob). The runner, the rules and the
// console are handed this registry; a new kind is added here (docs/ARCHITECTURE.md
// "Adding an operation kind").
namespace BuiltInOperationKinds {

// Built once, never changed afterwards.
const OperationKinds& registry();

} // namespace BuiltInOperationKinds
