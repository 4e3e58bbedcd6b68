"""Facts about the edition that the package and the notebooks share, defined once."""

ARTICLE_YEAR = 2020  # the article appeared in Edu.e-history.kz 2020, no. 1(21)
# The latest events the article reports are of 8 January 2020; it was written that month.
ARTICLE_WRITTEN = "2020-01-31"
FIRST_YEAR = 1993  # first full year of Kazakh trade in the IMF series shown in the book
# The rating scale of the verdicts as machines read them (schema.org ClaimReview): verdict
# -> rating value, worst 1, best 3. A verdict without one is published by its name only.
RATING_SCALES = {
    "claims": {"contradicted": 1, "partly supported": 2, "supported": 3},
    "forecasts": {"not borne out": 1, "partly borne out": 2, "borne out": 3},
}
