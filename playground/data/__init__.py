"""The data sets every experiment draws from, all shipped inside packages (no download at run time).

- ``images``: MNIST (5,000), scikit-learn's 8x8 digits, Fashion-MNIST when its Debian package is installed;
- ``text``: the labelled tweets and BBC News articles, with their fixed splits and token caches;
- ``toy2d``: the 2-D distributions (ring of 8, 5x5 grid, moons, spiral) and their coverage measure.
"""
