"""The data both sides of every pair read: MNIST digits and English-French sentence pairs, offline by default."""
