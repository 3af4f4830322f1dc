"""The kennisbank command, above both the indexer library and the web app."""
