"""The analysis layer: what the edition computes from the data package.

- :mod:`.trade`: the IMF trade series of both reporters, shares, mirrors, sanctions regimes;
- :mod:`.registers`: the agreements and events registers, counts and key facts;
- :mod:`.claims`: the rules that recompute the verdicts of the claims register;
- :mod:`.sources`: the package as a whole and its bibliography;
- :mod:`.references`: cross-file checks of the registers, and the full validation.
"""
