"""Hidden checks for ps11_fourier. Oracles: signals built by hand from sinusoids at exact
rfft bin frequencies (so the right answer is known by construction), the full complex
np.fft.fft / fftfreq for noisy signals, and the positional-encoding formula in plain math.

Tolerances: frequencies are compared with rtol 1e-12 (they are bin centres computed
from sample_rate / n); filtered signals with atol 1e-9 times the signal's scale (an FFT
round trip is exact to ~1e-13); positional encodings with atol 1e-10 (sin and cos of
the same angles). Noise uses local seeded generators.
"""
from __future__ import annotations

import math

import numpy as np

from .checks import (CheckFailed, assert_fast, assert_close, assert_equal, assert_inputs_unchanged,
                     assert_raises, call, describe, fail)

FREQ_TOL = dict(rtol=1e-12, atol=1e-9)


def _tones(n, sample_rate, tones, offset=0.0):
    """offset + sum of amp * cos(2 pi f t + phase) for (f, amp, phase) in tones."""
    t = np.arange(n) / sample_rate
    return offset + sum(a * np.cos(2 * np.pi * f * t + ph) for f, a, ph in tones)


# --- dominant_frequencies ----------------------------------------------------------


def _check_freqs(got, expected, label, hint):
    if not isinstance(got, np.ndarray):
        fail(label, np.asarray(expected, dtype=float), got, "return a NumPy array of k frequencies "
             "(even when k is 1)")
    assert_close(got, expected, label=label, hint=hint, **FREQ_TOL)


def check_dominant_frequencies_values(dominant_frequencies):
    """Tones at known bins, even and odd lengths, a large DC offset, a tone at Nyquist, noise."""
    cases = [
        ("1000 samples at 500 Hz: tones of amplitude 3, 1.5, 0.5 at 40, 120, 7 Hz plus a mean of 10",
         _tones(1000, 500, [(40, 3.0, -np.pi / 2), (120, 1.5, 0.0), (7, 0.5, 1.0)], offset=10.0), 500, 3,
         [40.0, 120.0, 7.0]),
        ("735 samples (odd) at 147 Hz: sines at 12.4, 30, 3.2 Hz with amplitudes 2, 1, 4",
         _tones(735, 147, [(12.4, 2.0, -np.pi / 2), (30.0, 1.0, -np.pi / 2), (3.2, 4.0, -np.pi / 2)]), 147, 2,
         [3.2, 12.4]),
        ("64 samples at 64 Hz: a tone at the Nyquist frequency 32 Hz (amplitude 0.6) and one at 5 Hz (amplitude 1)",
         _tones(64, 64, [(32, 0.6, 0.0), (5, 1.0, 0.3)]), 64, 2, [32.0, 5.0]),
    ]
    for description, signal, rate, k, expected in cases:
        label = f"dominant_frequencies(signal, {rate}, k={k}) on {description}"
        _check_freqs(call(dominant_frequencies, signal, rate, k=k, label=label), expected, label,
                     hint="rank the rfft bins 1, 2, ... by |X| (np.abs: sines have imaginary coefficients), "
                          "largest first, skip bin 0 (0 Hz) and convert bins to Hz with np.fft.rfftfreq(n, 1/sample_rate)")
    rng = np.random.default_rng(2101)
    n, rate = 2048, 1000.0
    signal = rng.normal(size=n) + _tones(n, rate, [(rng.uniform(50, 400), 0.4, 0.0)]) + 3.0
    full = np.abs(np.fft.fft(signal))[1:n // 2 + 1]
    freqs = np.abs(np.fft.fftfreq(n, d=1 / rate))[1:n // 2 + 1]
    expected = freqs[np.argsort(-full, kind="stable")[:5]]
    label = "dominant_frequencies(signal, 1000.0, k=5) on 2048 samples of seeded noise plus a weak tone and a mean of 3"
    _check_freqs(call(dominant_frequencies, signal, rate, k=5, label=label), expected, label,
                 hint="largest |rfft| first, 0 Hz excluded, frequencies in Hz")


def check_dominant_frequencies_contract(dominant_frequencies):
    """Default k, list input, input unchanged, a long odd signal."""
    signal = _tones(90, 30, [(4.0, 1.0, 0.2), (11.0, 2.0, 0.0)], offset=-5.0)
    label = "dominant_frequencies(signal, 30) with the default k on tones at 4 and 11 Hz (amplitudes 1, 2)"
    got = call(dominant_frequencies, signal.tolist(), 30, label=label)
    _check_freqs(got, [11.0], label, hint="k defaults to 1: return an array holding one frequency")
    assert_inputs_unchanged(dominant_frequencies, signal, 30, k=2,
                            label="dominant_frequencies(signal, 30, k=2) on a 90-sample array")
    n, rate = 2 ** 17 + 1, 4096.0
    signal = _tones(n, rate, [(j * rate / n, a, 0.0) for j, a in [(5000, 1.0), (20001, 3.0), (777, 2.0)]])
    label = f"dominant_frequencies(signal, {rate}, k=3) on {n} samples (odd length)"
    got = assert_fast(dominant_frequencies, signal, rate, k=3, label=label, limit=2.0,
                      expected="a fraction of a second",
                      hint="use np.fft.rfft and vectorised sorting, not Python loops over bins")
    _check_freqs(got, [20001 * rate / n, 777 * rate / n, 5000 * rate / n], label,
                 hint="bin j is j * sample_rate / n Hz for odd n too (np.fft.rfftfreq)")


# --- lowpass_filter --------------------------------------------------------------


def _check_filtered(got, expected, label, hint):
    if not isinstance(got, np.ndarray) or got.dtype.kind != "f":
        fail(label, "a real float array", describe(got) if not isinstance(got, np.ndarray) else
             f"array of dtype {got.dtype}", "irfft returns a real array; with fft/ifft take .real")
    scale = max(1.0, float(np.max(np.abs(expected))))
    assert_close(got, expected, label=label, hint=hint, rtol=0, atol=1e-9 * scale)


def check_lowpass_filter_values(lowpass_filter):
    """Known tones removed or kept, even and odd lengths, and noise against a full-FFT oracle."""
    cases = [
        ("600 samples at 200 Hz: mean 2 plus tones at 5, 20 and 45 Hz, cutoff 25 Hz", 600, 200,
         [(5.0, 1.0, 0.1), (20.0, 0.7, -1.0), (45.0, 2.0, 0.5)], 2.0, 25.0),
        ("321 samples (odd) at 64 Hz: tones at bins 10, 40 and 150, cutoff 10 Hz", 321, 64,
         [(10 * 64 / 321, 1.0, 0.0), (40 * 64 / 321, 0.5, 1.2), (150 * 64 / 321, 1.5, -0.4)], -1.0, 10.0),
        ("400 samples at 100 Hz: tones at 3, 7.5 and 12 Hz, cutoff exactly 7.5 Hz (that bin is kept)", 400, 100,
         [(3.0, 1.0, 0.0), (7.5, 1.0, 0.7), (12.0, 1.0, 0.2)], 0.0, 7.5),
    ]
    for description, n, rate, tones, offset, cutoff in cases:
        signal = _tones(n, rate, tones, offset)
        expected = _tones(n, rate, [t for t in tones if t[0] <= cutoff], offset)
        label = f"lowpass_filter(signal, {rate}, {cutoff}) on {description}"
        _check_filtered(call(lowpass_filter, signal, rate, cutoff, label=label), expected, label,
                        hint="zero the rfft bins with frequency > cutoff (keep == cutoff and 0 Hz), then "
                             "np.fft.irfft(X, n=len(signal)); without n= an odd-length signal comes back one short")
    rng = np.random.default_rng(2201)
    for n in (257, 1000):
        signal = rng.normal(size=n).cumsum()
        spectrum = np.fft.fft(signal)
        spectrum[np.abs(np.fft.fftfreq(n, d=1 / 50.0)) > 6.3] = 0.0
        label = f"lowpass_filter(signal, 50.0, 6.3) on a seeded random walk of {n} samples"
        _check_filtered(call(lowpass_filter, signal, 50.0, 6.3, label=label), np.fft.ifft(spectrum).real, label,
                        hint="frequencies in Hz (np.fft.rfftfreq(n, 1/sample_rate)), not bin numbers")


def check_lowpass_filter_contract(lowpass_filter):
    """Real output of the input's length, odd and tiny lengths, extreme cutoffs, no mutation."""
    rng = np.random.default_rng(2202)
    for n in (7, 2, 99):
        signal = rng.normal(size=n)
        label = f"lowpass_filter(signal, 10.0, 100.0) on {n} random samples (cutoff above Nyquist)"
        _check_filtered(call(lowpass_filter, signal, 10.0, 100.0, label=label), signal, label,
                        hint="a cutoff above every frequency must return the signal unchanged, same length "
                             "(pass n=len(signal) to irfft)")
    signal = rng.normal(size=45) + 4.0
    label = "lowpass_filter(signal, 9.0, 0.0) on 45 random samples (cutoff 0 Hz keeps only the mean)"
    _check_filtered(call(lowpass_filter, signal, 9.0, 0.0, label=label), np.full(45, signal.mean()), label,
                    hint="the 0 Hz bin is at the cutoff, so it is kept: only bins with frequency > cutoff are zeroed")
    signal = rng.normal(size=30)
    label = "lowpass_filter(signal.tolist(), 5, 1) on a list of 30 samples"
    expected_spectrum = np.fft.fft(signal)
    expected_spectrum[np.abs(np.fft.fftfreq(30, d=1 / 5)) > 1] = 0.0
    _check_filtered(call(lowpass_filter, signal.tolist(), 5, 1, label=label), np.fft.ifft(expected_spectrum).real,
                    label, hint="accept array-likes: np.asarray(signal, dtype=float)")
    assert_inputs_unchanged(lowpass_filter, rng.normal(size=33), 8.0, 2.0,
                            label="lowpass_filter(signal, 8.0, 2.0) on a 33-sample array")


# --- sinusoidal_positional_encoding ------------------------------------------------


def _pe_oracle(n_positions, d_model):
    pe = np.zeros((n_positions, d_model))
    for p in range(n_positions):
        for i in range(d_model // 2):
            angle = p / 10000 ** (2 * i / d_model)
            pe[p, 2 * i], pe[p, 2 * i + 1] = math.sin(angle), math.cos(angle)
    return pe


def check_positional_encoding_values(sinusoidal_positional_encoding):
    """Every entry against the formula, for shapes the notebook does not use."""
    for n, d in [(1, 2), (9, 6), (40, 16), (3, 128)]:
        label = f"sinusoidal_positional_encoding({n}, {d})"
        assert_close(call(sinusoidal_positional_encoding, n, d, label=label), _pe_oracle(n, d), label=label,
                     rtol=0, atol=1e-10,
                     hint="column 2i holds sin and column 2i+1 cos of p / 10000**(2i/d_model): both columns of a "
                          "pair share the exponent 2i/d_model; positions start at 0")


def check_positional_encoding_contract(sinusoidal_positional_encoding):
    """ValueError for odd d_model, float64 result, long sequences fast."""
    for d in (5, 1):
        assert_raises(ValueError, sinusoidal_positional_encoding, 4, d,
                      label=f"sinusoidal_positional_encoding(4, {d})",
                      hint="sin/cos come in pairs: raise ValueError when d_model is odd")
    label = "sinusoidal_positional_encoding(4096, 256)"
    got = assert_fast(sinusoidal_positional_encoding, 4096, 256, label=label, limit=2.0,
                      expected="well under a second",
                      hint="build the (positions x frequencies) angle table with broadcasting")
    if not isinstance(got, np.ndarray) or got.dtype != np.float64:
        fail(label, "a float64 array", got, "return np.float64 values")
    assert_equal(got.shape, (4096, 256), label=f"{label}: shape", hint="one row per position, one column per dimension")
    rows = [0, 1, 777, 4095]
    p = np.array(rows, dtype=float)[:, None]
    i = np.arange(128)
    expected = np.empty((4, 256))
    expected[:, 0::2] = np.sin(p / 10000 ** (2 * i / 256))
    expected[:, 1::2] = np.cos(p / 10000 ** (2 * i / 256))
    assert_close(got[rows], expected, label=f"{label}: rows {rows}", rtol=0, atol=1e-9,
                 hint="PE[p, 2i] = sin(p / 10000**(2i/d_model)), PE[p, 2i+1] = cos(same angle)")
