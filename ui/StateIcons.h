#pragma once

#include <QIcon>
#include <QString>

// The small state icons of the checklists and runbooks: a green tick (passed,
// completed), an amber exclamation mark (warning), a red cross (failed), a blue
// arrow (running), a grey ring (waiting), a grey dash (skipped, cancelled). Drawn as
// vectors at whatever size and scale is asked, so they stay crisp at 200%. The state
// is always written next to the icon too: the colour never carries meaning alone.
namespace StateIcons {

// `status`: a preflight status (pass, warn, fail, running, pending, skipped) or a
// step/operation state (Completed, Failed, InProgress, NotStarted, Skipped, Cancelled, ...).
QIcon forStatus(const QString& status);

} // namespace StateIcons
