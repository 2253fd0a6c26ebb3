"""The public pages (no sign-in): public notices and objections, named units, satisfaction surveys."""
