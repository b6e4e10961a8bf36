DROP INDEX events_entered_in_error;
DROP INDEX events_submitted;
