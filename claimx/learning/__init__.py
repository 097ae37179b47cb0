"""Small learned models over spaCy features: hashed linear models, their features and training."""
