"""Every subscriber to domain events, imported once so each event finds its subscribers."""

import buurtbudget.initiatives.notify
import buurtbudget.jury.notify
import buurtbudget.spaces.notify
import buurtbudget.volunteers.notify  # noqa: F401
