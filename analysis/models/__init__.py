"""Statistical models, one module per family (frequency, changepoints, seasonality,
severity, hawkes, forecast). Each entry point returns a frozen :class:`analysis.Result`."""
