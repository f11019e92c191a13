"""ps11_fourier: Fourier analysis, filtering and sinusoidal positional encodings."""
import numpy as np


def dominant_frequencies(signal, sample_rate, k=1):
    """The k frequencies (in Hz) with the largest magnitude |rfft(signal)|, largest first.

    signal is a 1-D array-like of real samples taken `sample_rate` times per
    second. The 0 Hz (DC, the mean) bin is never returned. Returns a float64
    array of shape (k,); the frequency of rfft bin j is j * sample_rate / len(signal).
    """
    signal = np.asarray(signal, dtype=np.float64)
    magnitude = np.abs(np.fft.rfft(signal))
    freqs = np.fft.rfftfreq(len(signal), d=1.0 / sample_rate)
    order = np.argsort(-magnitude[1:], kind="stable")[:k] + 1  # skip bin 0 (0 Hz)
    return freqs[order]


def lowpass_filter(signal, sample_rate, cutoff):
    """Remove every frequency above `cutoff` Hz from a real 1-D signal.

    Computes rfft(signal), sets every bin whose frequency is strictly greater
    than `cutoff` to 0 (a bin exactly at `cutoff` is kept) and transforms back
    with irfft. Returns a real float64 array with the same length as `signal`
    (odd lengths included). The input is left unchanged.
    """
    signal = np.asarray(signal, dtype=np.float64)
    spectrum = np.fft.rfft(signal)
    freqs = np.fft.rfftfreq(len(signal), d=1.0 / sample_rate)
    spectrum[freqs > cutoff] = 0.0
    return np.fft.irfft(spectrum, n=len(signal))


def sinusoidal_positional_encoding(n_positions, d_model):
    """The Transformer's sinusoidal positional encodings, shape (n_positions, d_model).

    For position p = 0, 1, ..., n_positions - 1 and pair i = 0, 1, ..., d_model/2 - 1:
        PE[p, 2i]     = sin(p / 10000 ** (2i / d_model))
        PE[p, 2i + 1] = cos(p / 10000 ** (2i / d_model))
    Returns a float64 array. Raises ValueError if d_model is odd.
    """
    if d_model % 2 != 0:
        raise ValueError(f"d_model must be even, got {d_model}")
    positions = np.arange(n_positions, dtype=np.float64)[:, None]
    two_i = np.arange(0, d_model, 2, dtype=np.float64)
    angles = positions / 10000.0 ** (two_i / d_model)
    pe = np.empty((n_positions, d_model))
    pe[:, 0::2] = np.sin(angles)
    pe[:, 1::2] = np.cos(angles)
    return pe
