"""Variants of the ps11_fourier answers, graded through real nbgrader in tests/test_mutants.py."""
import numpy as np

from harness.mutants import correct, wrong

# --- dominant_frequencies ----------------------------------------------------------


@wrong("dominant_frequencies", "does not exclude 0 Hz")
def dominant_frequencies(signal, sample_rate, k=1):
    signal = np.asarray(signal, dtype=float)
    magnitude = np.abs(np.fft.rfft(signal))
    freqs = np.fft.rfftfreq(len(signal), d=1 / sample_rate)
    return freqs[np.argsort(-magnitude)[:k]]


@wrong("dominant_frequencies", "returns bin indices instead of Hz")
def dominant_frequencies(signal, sample_rate, k=1):
    magnitude = np.abs(np.fft.rfft(np.asarray(signal, dtype=float)))
    return (np.argsort(-magnitude[1:])[:k] + 1).astype(float)


@wrong("dominant_frequencies", "takes the frequencies from fftfreq (Nyquist comes out negative)")
def dominant_frequencies(signal, sample_rate, k=1):
    signal = np.asarray(signal, dtype=float)
    magnitude = np.abs(np.fft.rfft(signal))
    freqs = np.fft.fftfreq(len(signal), d=1 / sample_rate)[:len(magnitude)]
    return freqs[np.argsort(-magnitude[1:])[:k] + 1]


@wrong("dominant_frequencies", "ranks by the real part instead of the magnitude")
def dominant_frequencies(signal, sample_rate, k=1):
    signal = np.asarray(signal, dtype=float)
    spectrum = np.fft.rfft(signal)
    freqs = np.fft.rfftfreq(len(signal), d=1 / sample_rate)
    return freqs[np.argsort(-np.abs(spectrum.real[1:]))[:k] + 1]


@wrong("dominant_frequencies", "returns the top k sorted by frequency, not by magnitude")
def dominant_frequencies(signal, sample_rate, k=1):
    signal = np.asarray(signal, dtype=float)
    magnitude = np.abs(np.fft.rfft(signal))
    freqs = np.fft.rfftfreq(len(signal), d=1 / sample_rate)
    return np.sort(freqs[np.argsort(-magnitude[1:])[:k] + 1])


@wrong("dominant_frequencies", "divides by the number of rfft bins instead of n")
def dominant_frequencies(signal, sample_rate, k=1):
    magnitude = np.abs(np.fft.rfft(np.asarray(signal, dtype=float)))
    freqs = np.arange(len(magnitude)) * sample_rate / (2 * (len(magnitude) - 1))
    return freqs[np.argsort(-magnitude[1:])[:k] + 1]


@correct("dominant_frequencies", "uses the full fft and |fftfreq| over the positive half")
def dominant_frequencies(signal, sample_rate, k=1):
    x = np.asarray(signal, dtype=float)
    n = len(x)
    magnitude = np.abs(np.fft.fft(x))[1:n // 2 + 1]
    freqs = np.abs(np.fft.fftfreq(n, d=1.0 / sample_rate))[1:n // 2 + 1]
    return freqs[np.argsort(magnitude)[::-1][:k]]


# --- lowpass_filter --------------------------------------------------------------


@wrong("lowpass_filter", "calls irfft without n (odd lengths come back one short)")
def lowpass_filter(signal, sample_rate, cutoff):
    signal = np.asarray(signal, dtype=float)
    spectrum = np.fft.rfft(signal)
    spectrum[np.fft.rfftfreq(len(signal), d=1 / sample_rate) > cutoff] = 0
    return np.fft.irfft(spectrum)


@wrong("lowpass_filter", "also removes the bin exactly at the cutoff (>=)")
def lowpass_filter(signal, sample_rate, cutoff):
    signal = np.asarray(signal, dtype=float)
    spectrum = np.fft.rfft(signal)
    spectrum[np.fft.rfftfreq(len(signal), d=1 / sample_rate) >= cutoff] = 0
    return np.fft.irfft(spectrum, n=len(signal))


@wrong("lowpass_filter", "compares bin numbers with the cutoff in Hz")
def lowpass_filter(signal, sample_rate, cutoff):
    signal = np.asarray(signal, dtype=float)
    spectrum = np.fft.rfft(signal)
    spectrum[np.arange(len(spectrum)) > cutoff] = 0
    return np.fft.irfft(spectrum, n=len(signal))


@wrong("lowpass_filter", "zeroes only positive frequencies of the full fft")
def lowpass_filter(signal, sample_rate, cutoff):
    signal = np.asarray(signal, dtype=float)
    spectrum = np.fft.fft(signal)
    spectrum[np.fft.fftfreq(len(signal), d=1 / sample_rate) > cutoff] = 0
    return np.fft.ifft(spectrum).real


@wrong("lowpass_filter", "returns the complex ifft result")
def lowpass_filter(signal, sample_rate, cutoff):
    signal = np.asarray(signal, dtype=float)
    spectrum = np.fft.fft(signal)
    spectrum[np.abs(np.fft.fftfreq(len(signal), d=1 / sample_rate)) > cutoff] = 0
    return np.fft.ifft(spectrum)


@correct("lowpass_filter", "full fft with |frequency| > cutoff zeroed, real part of ifft")
def lowpass_filter(signal, sample_rate, cutoff):
    x = np.array(signal, dtype=float)
    spectrum = np.fft.fft(x)
    keep = np.abs(np.fft.fftfreq(x.size, d=1.0 / sample_rate)) <= cutoff
    return np.real(np.fft.ifft(spectrum * keep))


# --- sinusoidal_positional_encoding ------------------------------------------------


@wrong("sinusoidal_positional_encoding", "swaps sin and cos")
def sinusoidal_positional_encoding(n_positions, d_model):
    if d_model % 2:
        raise ValueError("odd d_model")
    angles = np.arange(n_positions)[:, None] / 10000 ** (np.arange(0, d_model, 2) / d_model)
    pe = np.zeros((n_positions, d_model))
    pe[:, 0::2], pe[:, 1::2] = np.cos(angles), np.sin(angles)
    return pe


@wrong("sinusoidal_positional_encoding", "uses exponent i/d_model instead of 2i/d_model")
def sinusoidal_positional_encoding(n_positions, d_model):
    if d_model % 2:
        raise ValueError("odd d_model")
    angles = np.arange(n_positions)[:, None] / 10000 ** (np.arange(d_model // 2) / d_model)
    pe = np.zeros((n_positions, d_model))
    pe[:, 0::2], pe[:, 1::2] = np.sin(angles), np.cos(angles)
    return pe


@wrong("sinusoidal_positional_encoding", "uses the column index j as exponent, so cos columns get their own speed")
def sinusoidal_positional_encoding(n_positions, d_model):
    if d_model % 2:
        raise ValueError("odd d_model")
    j = np.arange(d_model)
    angles = np.arange(n_positions)[:, None] / 10000 ** (j / d_model)
    return np.where(j % 2 == 0, np.sin(angles), np.cos(angles))


@wrong("sinusoidal_positional_encoding", "puts all sines first, then all cosines")
def sinusoidal_positional_encoding(n_positions, d_model):
    if d_model % 2:
        raise ValueError("odd d_model")
    angles = np.arange(n_positions)[:, None] / 10000 ** (np.arange(0, d_model, 2) / d_model)
    return np.concatenate([np.sin(angles), np.cos(angles)], axis=1)


@wrong("sinusoidal_positional_encoding", "starts positions at 1")
def sinusoidal_positional_encoding(n_positions, d_model):
    if d_model % 2:
        raise ValueError("odd d_model")
    angles = np.arange(1, n_positions + 1)[:, None] / 10000 ** (np.arange(0, d_model, 2) / d_model)
    pe = np.zeros((n_positions, d_model))
    pe[:, 0::2], pe[:, 1::2] = np.sin(angles), np.cos(angles)
    return pe


@wrong("sinusoidal_positional_encoding", "never raises for an odd d_model")
def sinusoidal_positional_encoding(n_positions, d_model):
    angles = np.arange(n_positions)[:, None] / 10000 ** (np.arange(0, d_model, 2) / d_model)
    pe = np.zeros((n_positions, 2 * angles.shape[1]))
    pe[:, 0::2], pe[:, 1::2] = np.sin(angles), np.cos(angles)
    return pe[:, :d_model]


@correct("sinusoidal_positional_encoding", "uses exp(-log(10000) * 2i / d) and stacks the pairs")
def sinusoidal_positional_encoding(n_positions, d_model):
    if d_model % 2 == 1:
        raise ValueError("d_model must be even")
    speeds = np.exp(-np.log(10000.0) * np.arange(0, d_model, 2) / d_model)
    angles = np.outer(np.arange(n_positions), speeds)
    return np.stack([np.sin(angles), np.cos(angles)], axis=-1).reshape(n_positions, d_model)
