"""The metric providers: each reads one app's records (first secretaries' days, organisational
life and weak-and-lax listings, the collective economy) as of a month's last day and answers an
indicator's values for a set of villages. They live in ratings, above the apps they read, and
register themselves in ratings.metrics when the ratings app is ready."""
