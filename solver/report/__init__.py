"""`forcegen report`: a one-page HTML briefing from output workbooks."""
