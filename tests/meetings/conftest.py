# The reminders and the inactivity detection moved here from the notifications app; their tests
# keep the frozen clock and the peer group that the notification tests share.
from tests.notifications.conftest import clock, group  # noqa: F401
