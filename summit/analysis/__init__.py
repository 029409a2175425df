"""Analysis tools: reference points and solution concepts for negotiations."""
