package org.sbiworkbench.core.tests;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assertions.fail;

import java.io.IOException;
import java.io.RandomAccessFile;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.EnumMap;
import java.util.Map;
import java.util.SplittableRandom;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.sbiworkbench.core.storage.Npy;
import org.sbiworkbench.core.storage.NpyArray;
import org.sbiworkbench.core.storage.NpyFormatException;
import org.sbiworkbench.core.tests.NpyIndependentReaderTest.Parsed;

/**
 * Property test of {@link Npy#read}: valid files of random shapes, dtypes,
 * orders and versions, corrupted at random. Every case must either throw an
 * {@link NpyFormatException} naming the file, or return exactly what the
 * independent reader of {@link NpyIndependentReaderTest} finds in the same
 * bytes. Corruptions that cannot leave a valid file (truncation, appended
 * bytes, impossible shapes, unsupported dtypes, ...) must throw; corruptions of
 * the data bytes alone must read, with the original shape. Every 8th case is
 * also read from a file, and must give the same outcome.
 * <p>
 * Seeded (jqwik is not in the target platform): a failure prints the case
 * number and its seed; {@code new SplittableRandom(seed)} regenerates it.
 */
class NpyCorruptionTest {

	private static final long SEED = 0x5BD1E995L;
	/** 4000 by default; more with -Dsbiw.npy.cases=... for a longer hunt. */
	private static final int CASES = Integer.getInteger("sbiw.npy.cases", 4000);

	@TempDir
	Path dir;

	private enum Corruption {
		TRUNCATE, FLIP_HEADER, FLIP_DATA, JUNK_HEADER, TOKEN_SOUP, BAD_SHAPE, BAD_DTYPE, OTHER_DTYPE, GARBAGE,
		MAGIC_AND_GARBAGE, EMPTY, APPEND, TWO_ARRAYS, HEADER_LENGTH, VERSION
	}

	private enum Expect {
		/** must throw NpyFormatException */
		FAIL,
		/** must read, with the original shape and the independent reader's values */
		READ_SAME_SHAPE,
		/** must agree with the independent reader: read what it reads, reject what it rejects */
		AGREE
	}

	/** A valid file, what it holds, and how it was made. */
	private record Base(byte[] bytes, int major, int headerStart, int dataOffset, String descr, boolean fortran,
			long[] shape, byte[] data) {
	}

	private static final String[] DTYPES = { "<f8", "<f4", "<i8", "<i4", "<i2", "|i1", "<u4", "<u2", "|u1", "|b1",
			">f8", ">f4", ">i8", ">i4", ">i2", ">u4", ">u2" };

	/** Shapes no file can have, whatever its data. */
	private static final String[] BAD_SHAPES = { "(1000000000000, 1000000000000)", "(1000000, 1000000)",
			"(2147483648,)", "(9223372036854775807,)", "(9223372036854775807, 9223372036854775807)",
			"(99999999999999999999999,)", "(3037000500, 3037000500)", "(4294967296, 4294967296)",
			"(0, 9223372036854775807)", "(99999999999, 0)", "(-1, 3)", "(3, -2)", "(-9223372036854775808,)", "(-0,)",
			"(2, 3, 4)", "(1, 1, 1, 1)", "(0, 0, 0)", "(3.0, 2)", "('3', 2)", "(3L, 2)", "(0x10, 2)", "(1_0,)",
			"(+3, 2)", "(True, 2)", "(None,)", "(03, 2)", "[3, 2]", "[]", "3", "(3)", "(,)", "(3,,)", "(", "(3, 2",
			"{}", "'(3, 2)'", "None", "(1e3,)", "(١,)" };

	/** dtype literals the reader does not support. */
	private static final String[] BAD_DTYPES = { "'<c16'", "'>c8'", "'<U5'", "'|S3'", "'|O'", "'O'", "'<f16'",
			"'<f2'", "''", "'|V8'", "'<M8[ns]'", "'<m8[s]'", "'=f8'", "'|f8'", "'|i4'", "'<u8'", "'f8'", "'<F8'",
			"'<f8 '", "' <f8'", "'<f'", "'<f08'", "'float64'", "'<i16'", "'<b2'", "'<f8\\n'", "None", "8", "True",
			"[('a', '<f8')]", "('<f8',)", "{'descr': '<f8'}", "'<f8", "\"<f8'" };

	private static final String[] TOKENS = { "{", "}", "(", ")", "[", "]", ",", ",", ":", ":", " ", " ", "\n", "\t",
			"'descr'", "'fortran_order'", "'shape'", "'<f8'", "'<i4'", "'|u1'", "True", "False", "None", "0", "1", "3",
			"2", "-1", "18446744073709551616", "'", "\"", "L", "1.5", "((((((((((((((((((((((((", "[[[[[[[[[[[[[[[[[[[",
			"\\", "\u00e9", "\u0000", "#", "foo" };

	@Test
	void randomCorruptionsFailCleanlyOrAgreeWithTheIndependentReader() throws IOException {
		Map<Corruption, int[]> tally = new EnumMap<>(Corruption.class); // {cases, read, rejected}
		for (int i = 0; i < CASES; i++) {
			long seed = SEED * 1_000_003L + i;
			SplittableRandom r = new SplittableRandom(seed);
			Base base = randomBase(r);
			Corruption kind = Corruption.values()[r.nextInt(Corruption.values().length)];
			String label = "case " + i + " (seed " + seed + ", " + kind + ", from " + base.descr + " "
					+ NpyIndependentReaderTest.pyShape(base.shape) + (base.fortran ? " Fortran" : "") + " v"
					+ base.major + ")";
			byte[] corrupt;
			Expect expect;
			int changedBytes = 0;
			switch (kind) {
			case TRUNCATE -> {
				corrupt = Arrays.copyOf(base.bytes, r.nextInt(base.bytes.length));
				expect = Expect.FAIL;
			}
			case FLIP_HEADER -> {
				corrupt = base.bytes.clone();
				for (int k = r.nextInt(1, 4); k > 0; k--) {
					corrupt[r.nextInt(base.dataOffset)] = (byte) r.nextInt(256);
				}
				expect = Expect.AGREE;
			}
			case FLIP_DATA -> {
				corrupt = base.bytes.clone();
				if (base.data.length == 0) {
					corrupt = Arrays.copyOf(corrupt, corrupt.length + 1); // nothing to flip: one byte too many
					expect = Expect.FAIL;
				} else {
					changedBytes = r.nextInt(1, 5);
					for (int k = 0; k < changedBytes; k++) {
						corrupt[r.nextInt(base.dataOffset, corrupt.length)] = (byte) r.nextInt(256);
					}
					expect = Expect.READ_SAME_SHAPE;
				}
			}
			case JUNK_HEADER -> { // the header text replaced by junk of the same length
				corrupt = base.bytes.clone();
				boolean printable = r.nextBoolean();
				for (int k = base.headerStart; k < base.dataOffset - (r.nextBoolean() ? 1 : 0); k++) {
					corrupt[k] = (byte) (printable ? r.nextInt(0x20, 0x7f) : r.nextInt(256));
				}
				expect = Expect.AGREE;
			}
			case TOKEN_SOUP -> {
				String dict = NpyIndependentReaderTest.numpyDict(base.descr, base.fortran, base.shape);
				String soup;
				if (r.nextBoolean()) { // a random span of the real dict replaced by random tokens
					int a = r.nextInt(dict.length());
					int b = r.nextInt(a, Math.min(dict.length(), a + 12) + 1);
					soup = dict.substring(0, a) + tokens(r, r.nextInt(0, 4)) + dict.substring(b);
				} else {
					soup = tokens(r, r.nextInt(1, 40));
				}
				corrupt = NpyIndependentReaderTest.assemble(base.major, soup, 64, base.data);
				expect = Expect.AGREE;
			}
			case BAD_SHAPE -> {
				String dict = "{'descr': '" + base.descr + "', 'fortran_order': " + (base.fortran ? "True" : "False")
						+ ", 'shape': " + BAD_SHAPES[r.nextInt(BAD_SHAPES.length)] + ", }";
				corrupt = NpyIndependentReaderTest.assemble(base.major, dict, 64, base.data);
				expect = Expect.FAIL;
			}
			case BAD_DTYPE -> {
				String dict = "{'descr': " + BAD_DTYPES[r.nextInt(BAD_DTYPES.length)] + ", 'fortran_order': "
						+ (base.fortran ? "True" : "False") + ", 'shape': "
						+ NpyIndependentReaderTest.pyShape(base.shape) + ", }";
				corrupt = NpyIndependentReaderTest.assemble(base.major, dict, 64, base.data);
				expect = Expect.FAIL;
			}
			case OTHER_DTYPE -> { // a supported dtype, often of another size than the data has
				String dict = NpyIndependentReaderTest.numpyDict(DTYPES[r.nextInt(DTYPES.length)], base.fortran,
						base.shape);
				corrupt = NpyIndependentReaderTest.assemble(base.major, dict, 64, base.data);
				expect = Expect.AGREE;
			}
			case GARBAGE -> {
				corrupt = new byte[r.nextInt(0, 300)];
				fill(r, corrupt, 0);
				expect = Expect.AGREE;
			}
			case MAGIC_AND_GARBAGE -> {
				corrupt = new byte[r.nextInt(6, 300)];
				fill(r, corrupt, 6);
				System.arraycopy(base.bytes, 0, corrupt, 0, 6);
				if (corrupt.length > 7 && r.nextBoolean()) {
					corrupt[6] = (byte) r.nextInt(1, 4);
					corrupt[7] = 0;
				}
				expect = Expect.AGREE;
			}
			case EMPTY -> {
				corrupt = new byte[0];
				expect = Expect.FAIL;
			}
			case APPEND -> {
				corrupt = Arrays.copyOf(base.bytes, base.bytes.length + r.nextInt(1, 100));
				fill(r, corrupt, base.bytes.length);
				expect = Expect.FAIL;
			}
			case TWO_ARRAYS -> { // two arrays written one after the other into one file
				Base second = randomBase(r);
				corrupt = Arrays.copyOf(base.bytes, base.bytes.length + second.bytes.length);
				System.arraycopy(second.bytes, 0, corrupt, base.bytes.length, second.bytes.length);
				expect = Expect.FAIL;
			}
			case HEADER_LENGTH -> {
				corrupt = base.bytes.clone();
				ByteBuffer b = ByteBuffer.wrap(corrupt).order(ByteOrder.LITTLE_ENDIAN);
				int original = base.dataOffset - base.headerStart;
				int length = switch (r.nextInt(3)) {
				case 0 -> original + r.nextInt(-8, 9);
				case 1 -> r.nextInt(0, 1 << 16);
				default -> r.nextInt();
				};
				if (base.major == 1) {
					b.putShort(8, (short) length);
				} else {
					b.putInt(8, length);
				}
				expect = Expect.AGREE;
			}
			case VERSION -> {
				corrupt = base.bytes.clone();
				corrupt[6] = (byte) (r.nextBoolean() ? r.nextInt(0, 5) : r.nextInt(256));
				corrupt[7] = (byte) (r.nextBoolean() ? 0 : r.nextInt(256));
				expect = Expect.AGREE;
			}
			default -> throw new AssertionError(kind);
			}
			boolean read = check(i, seed, label, base, corrupt, expect, changedBytes, i % 8 == 0);
			int[] t = tally.computeIfAbsent(kind, k -> new int[3]);
			t[0]++;
			t[read ? 1 : 2]++;
		}
		if (Boolean.getBoolean("sbiw.npy.tally")) {
			tally.forEach((k, t) -> System.out.println(k + ": " + t[0] + " cases, " + t[1] + " read, " + t[2] + " rejected"));
		}
		// Every corruption kind came up, and the ones that must fail did.
		assertEquals(Corruption.values().length, tally.size(), "kinds tried: " + tally.keySet());
		for (Corruption k : new Corruption[] { Corruption.TRUNCATE, Corruption.BAD_SHAPE, Corruption.BAD_DTYPE,
				Corruption.EMPTY, Corruption.APPEND, Corruption.TWO_ARRAYS }) {
			assertEquals(0, tally.get(k)[1], k + " never reads");
		}
		assertTrue(tally.get(Corruption.FLIP_DATA)[1] > 0);
		assertTrue(tally.get(Corruption.OTHER_DTYPE)[1] > 0, "some other dtypes fit the data");
	}

	@Test
	void everyTruncationFails() throws IOException {
		SplittableRandom r = new SplittableRandom(SEED);
		int cases = 0;
		for (int b = 0; b < 12; b++) {
			Base base = randomBase(r);
			// every length through the header and the first values, then a sample of the rest
			int exhaustive = Math.min(base.bytes.length, base.dataOffset + 100);
			for (int length = 0; length < base.bytes.length; length++) {
				if (length >= exhaustive && r.nextInt(20) != 0) {
					continue;
				}
				check(cases++, SEED + b, "base " + b + " truncated to " + length + " bytes", base,
						Arrays.copyOf(base.bytes, length), Expect.FAIL, 0, length % 16 == 0);
			}
		}
		assertTrue(cases > 1000, cases + " truncations");
	}

	/** Runs one case; returns whether the bytes were read. */
	private boolean check(int i, long seed, String label, Base base, byte[] bytes, Expect expect, int changedBytes,
			boolean viaFile) throws IOException {
		String name = "case-" + i + "-seed-" + seed + ".npy";
		String where = label + ": ";
		Parsed oracle = NpyIndependentReaderTest.independentRead(bytes);
		Object outcome = outcome(() -> Npy.read(bytes, name));
		if (viaFile) {
			Path file = Files.write(dir.resolve(name), bytes);
			Object fromFile = outcome(() -> Npy.read(file));
			Files.delete(file);
			if (outcome instanceof NpyFormatException e && fromFile instanceof NpyFormatException f) {
				assertEquals(e.problem(), f.problem(), where + "the same problem reading the file");
				assertTrue(f.getMessage().contains(name), where + "the message names the file: " + f.getMessage());
			} else if (!outcome.equals(fromFile)) {
				fail(where + "bytes gave " + outcome + " but the file gave " + fromFile, asThrowable(fromFile));
			}
		}
		if (outcome instanceof NpyFormatException e) {
			assertTrue(e.getMessage().contains(name), where + "the message names the file: " + e.getMessage());
			assertTrue(e.problem().length() > 5, where + "the message says what is wrong: " + e.getMessage());
			if (e.getCause() instanceof RuntimeException) {
				fail(where + "an internal error: " + e.getMessage(), e);
			}
			if (expect == Expect.READ_SAME_SHAPE) {
				fail(where + "only data bytes changed, yet it was rejected: " + e.getMessage(), e);
			}
			if (oracle != null) {
				fail(where + "rejected a file the independent reader reads as " + oracle.descr() + " "
						+ NpyIndependentReaderTest.pyShape(oracle.shape()) + ": " + e.getMessage(), e);
			}
			return false;
		}
		if (outcome instanceof Throwable t) {
			fail(where + "threw " + t + " instead of NpyFormatException", t);
		}
		NpyArray a = (NpyArray) outcome;
		if (expect == Expect.FAIL) {
			fail(where + "must fail but read " + a);
		}
		if (oracle == null) {
			fail(where + "read " + a + " from bytes the independent reader rejects: "
					+ new String(bytes, 0, Math.min(bytes.length, 200), StandardCharsets.ISO_8859_1));
		}
		assertArrayEquals(oracle.shape(), a.shape(), where + "shape as the independent reader");
		double[] values = a.data();
		for (int k = 0; k < values.length; k++) {
			if (Double.doubleToRawLongBits(values[k]) != Double.doubleToRawLongBits(oracle.values()[k])) {
				fail(where + "value " + k + " is " + values[k] + ", the independent reader says " + oracle.values()[k]);
			}
		}
		if (expect == Expect.READ_SAME_SHAPE) {
			assertArrayEquals(base.shape, a.shape(), where + "the original shape");
			double[] original = NpyIndependentReaderTest.independentRead(base.bytes).values();
			int differ = 0;
			for (int k = 0; k < values.length; k++) {
				differ += Double.doubleToRawLongBits(values[k]) != Double.doubleToRawLongBits(original[k]) ? 1 : 0;
			}
			assertTrue(differ <= changedBytes, where + differ + " values changed by " + changedBytes + " bytes");
		}
		return true;
	}

	private interface Read {
		NpyArray read() throws Exception;
	}

	/** The array read, or what was thrown (errors included: an OutOfMemoryError or a StackOverflowError is a failure). */
	private static Object outcome(Read read) {
		try {
			return read.read();
		} catch (Throwable t) {
			return t;
		}
	}

	private static Throwable asThrowable(Object o) {
		return o instanceof Throwable t ? t : null;
	}

	/** A valid file: either as {@link Npy} writes it or assembled here with another dtype, order or version. */
	private static Base randomBase(SplittableRandom r) {
		int ndim = r.nextInt(3);
		long[] shape = new long[ndim];
		for (int d = 0; d < ndim; d++) {
			shape[d] = r.nextInt(8) == 0 ? 0 : r.nextInt(1, r.nextBoolean() ? 6 : 40);
		}
		int count = 1;
		for (long d : shape) {
			count *= (int) d;
		}
		byte[] bytes;
		if (r.nextInt(3) == 0) {
			double[] values = new double[count];
			for (int k = 0; k < count; k++) {
				values[k] = r.nextBoolean() ? r.nextGaussian() : Double.longBitsToDouble(r.nextLong());
			}
			bytes = Npy.toBytes(new NpyArray(shape, values));
		} else {
			String descr = DTYPES[r.nextInt(DTYPES.length)];
			byte[] data = new byte[count * (descr.charAt(2) - '0')];
			fill(r, data, 0);
			if (descr.equals("|b1")) {
				for (int k = 0; k < data.length; k++) {
					data[k] &= 1;
				}
			}
			int major = r.nextInt(4) == 0 ? r.nextInt(2, 4) : 1;
			boolean fortran = r.nextInt(4) == 0;
			bytes = NpyIndependentReaderTest.assemble(major, NpyIndependentReaderTest.numpyDict(descr, fortran, shape),
					r.nextInt(4) == 0 ? 16 : 64, data);
		}
		Parsed p = NpyIndependentReaderTest.independentRead(bytes);
		assertNotNull(p, "a valid base file");
		int headerStart = p.major() == 1 ? 10 : 12;
		ByteBuffer b = ByteBuffer.wrap(bytes).order(ByteOrder.LITTLE_ENDIAN);
		int dataOffset = headerStart + (p.major() == 1 ? b.getShort(8) & 0xffff : b.getInt(8));
		return new Base(bytes, p.major(), headerStart, dataOffset, p.descr(), p.fortran(), p.shape(),
				Arrays.copyOfRange(bytes, dataOffset, bytes.length));
	}

	private static void fill(SplittableRandom r, byte[] bytes, int from) {
		for (int k = from; k < bytes.length; k++) {
			bytes[k] = (byte) r.nextInt(256);
		}
	}

	private static String tokens(SplittableRandom r, int n) {
		StringBuilder s = new StringBuilder();
		for (int k = 0; k < n; k++) {
			s.append(TOKENS[r.nextInt(TOKENS.length)]);
		}
		return s.toString();
	}

	// ------------------------------------------------------------ the messages

	private static byte[] file(String dict, int dataBytes) {
		return NpyIndependentReaderTest.assemble(1, dict, 64, new byte[dataBytes]);
	}

	private static String dict(String descr, String fortran, String shape) {
		return "{'descr': " + descr + ", 'fortran_order': " + fortran + ", 'shape': " + shape + ", }";
	}

	@Test
	void eachKindOfDamageGetsItsOwnMessage() {
		byte[] valid = file(dict("'<f8'", "False", "(3, 2)"), 48);
		byte[] v4 = valid.clone();
		v4[6] = 4;
		byte[] zip = { 'P', 'K', 3, 4, 20, 0, 0, 0, 8, 0, 0, 0 };
		Object[][] table = { //
				{ new byte[0], "empty file (0 bytes)" }, //
				{ "hello, world".getBytes(StandardCharsets.ISO_8859_1), "not an .npy file: it starts with 68 65 6c 6c 6f" },
				{ zip, "an .npz?" }, //
				{ Arrays.copyOf(valid, 4), "truncated: only 4 bytes" }, //
				{ Arrays.copyOf(valid, 7), "truncated: only 7 bytes" }, //
				{ v4, "unsupported .npy format version 4.0; this reader reads versions 1.0, 2.0 and 3.0" },
				{ Arrays.copyOf(valid, 9), "the file ends inside the header length field" },
				{ Arrays.copyOf(valid, 100), "truncated header: the header length field says 118 bytes, but only 90 follow" },
				{ file("(3, 2)", 48), "the header is not a dict but a tuple of 2" },
				{ file("{'descr': '<f8', 'fortran_order': False}", 48), "the header has no 'shape' key" },
				{ file(dict("'<f8'", "False", "(3, 2)").replace("}", "'extra': 1}"), 48), "unexpected key 'extra'" },
				{ file(dict("'<f8'", "'yes'", "(3, 2)"), 48), "fortran_order is the string 'yes', expected True or False" },
				{ file(dict("'<f8'", "False", "(3, 2"), 48), "unparseable header" },
				{ file(dict("'<f8'", "False", "(3, 2)") + " x", 48), "unexpected text after the header dict" },
				{ file(dict("'<f8'", "False", "(6)"), 48), "shape is the number 6, not a tuple (a 1-D shape is written (6,))" },
				{ file(dict("'<f8'", "False", "(06,)"), 48), "has a leading zero" },
				{ file(dict("'<f8'", "False", "(6L,)"), 48), "is not a plain decimal integer" },
				{ file(dict("'<f8'", "False", "(-1, 3)"), 48), "negative dimension -1 in shape (-1, 3)" },
				{ file(dict("'<f8'", "False", "(2, 3, 1)"), 48), "3-D arrays are not supported (shape (2, 3, 1)); reshape to 2-D" },
				{ file(dict("'<c16'", "False", "(3,)"), 48), "unsupported dtype '<c16' (complex numbers" },
				{ file(dict("'<U4'", "False", "(3,)"), 48), "np.save(path, a.astype('<f8'))" },
				{ file(dict("[('a', '<f8')]", "False", "(3,)"), 48), "structured (record) arrays are not supported" },
				{ file(dict("'<f8'", "False", "(3, 2)"), 40), "truncated: expected 48 bytes of data for shape (3, 2) of '<f8', found 40" },
				{ file(dict("'<f8'", "False", "(3, 2)"), 56), "8 trailing bytes: shape (3, 2) of '<f8' needs 48 bytes of data, found 56" },
		};
		for (Object[] row : table) {
			byte[] bytes = (byte[]) row[0];
			String expected = (String) row[1];
			NpyFormatException e = assertThrows(NpyFormatException.class, () -> Npy.read(bytes, "damaged.npy"), expected);
			assertTrue(e.getMessage().startsWith("damaged.npy: "), e.getMessage());
			assertTrue(e.problem().contains(expected), "expected '" + expected + "' in: " + e.problem());
		}
	}

	// ------------------------------------------------------------ huge claims fail fast

	private static byte[] f8File(String shape, int dataBytes) {
		return NpyIndependentReaderTest.assemble(1,
				"{'descr': '<f8', 'fortran_order': False, 'shape': " + shape + ", }", 64, new byte[dataBytes]);
	}

	private static String problem(byte[] bytes) {
		long start = System.nanoTime();
		NpyFormatException e = assertThrows(NpyFormatException.class, () -> Npy.read(bytes, "huge.npy"));
		long millis = (System.nanoTime() - start) / 1_000_000;
		assertTrue(millis < 1000, "failed fast: " + millis + " ms");
		assertTrue(e.getMessage().startsWith("huge.npy: "), e.getMessage());
		return e.problem();
	}

	@Test
	void aHeaderClaimingAHugeShapeFailsFast(@TempDir Path tmp) throws IOException {
		String overflow = problem(f8File("(1000000000000, 1000000000000)", 48));
		assertTrue(overflow.contains("more than 2^63 bytes"), overflow);
		String truncated = problem(f8File("(1000000, 1000000)", 48));
		assertTrue(truncated.contains("truncated: expected 8000000000000 bytes of data for shape (1000000, 1000000) of '<f8', found 48"),
				truncated);
		String absurd = problem(f8File("(123456789012345678901234567890, 1)", 8));
		assertTrue(absurd.contains("absurd dimension"), absurd);
		String trailing = problem(f8File("(2, 3)", 56));
		assertTrue(trailing.contains("8 trailing bytes"), trailing);

		// A version 2.0 header length of 4 GiB in a file of 100 bytes
		byte[] v2 = new byte[100];
		System.arraycopy(NpyIndependentReaderTest.assemble(2, "{}", 64, new byte[0]), 0, v2, 0, 8);
		ByteBuffer.wrap(v2).order(ByteOrder.LITTLE_ENDIAN).putInt(8, -1);
		assertTrue(problem(v2).contains("truncated header: the header length field says 4294967295 bytes, but only 88 follow"),
				problem(v2));

		// A header that really is 2 MiB, or nests a thousand brackets deep
		String big = problem(NpyIndependentReaderTest.assemble(2, " ".repeat(2 << 20) + "{}", 64, new byte[0]));
		assertTrue(big.contains("more than the 1048576 this reader accepts"), big);
		String deep = problem(NpyIndependentReaderTest.assemble(1, "(".repeat(60_000), 64, new byte[0]));
		assertTrue(deep.contains("nests brackets"), deep);

		// Through a file: the reader checks the file size before allocating anything.
		Path file = Files.write(tmp.resolve("huge.npy"), f8File("(1000000, 1000000)", 48));
		NpyFormatException e = assertThrows(NpyFormatException.class, () -> Npy.read(file));
		assertTrue(e.getMessage().contains("huge.npy") && e.problem().contains("truncated: expected 8000000000000"),
				e.getMessage());
	}

	@Test
	void aFileTooLargeForAJavaArrayIsRefusedBeforeReadingIt(@TempDir Path tmp) throws IOException {
		// A sparse file of 2^31 + 128 bytes that holds exactly what its header says.
		byte[] header = NpyIndependentReaderTest.assemble(1,
				"{'descr': '|u1', 'fortran_order': False, 'shape': (2147483648,), }", 64, new byte[0]);
		Path file = tmp.resolve("big.npy");
		try (RandomAccessFile f = new RandomAccessFile(file.toFile(), "rw")) {
			f.write(header);
			f.setLength(header.length + (1L << 31));
		}
		long start = System.nanoTime();
		NpyFormatException e = assertThrows(NpyFormatException.class, () -> Npy.read(file));
		assertTrue(e.getMessage().contains("big.npy") && e.problem().contains("larger than a Java array can hold"),
				e.getMessage());
		assertTrue(System.nanoTime() - start < 1_000_000_000L, "failed fast");
	}
}
