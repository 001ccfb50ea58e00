package org.sbiworkbench.core.tests;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assertions.fail;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.HexFormat;
import java.util.SplittableRandom;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.sbiworkbench.core.storage.Npy;
import org.sbiworkbench.core.storage.NpyArray;

class NpyRoundTripTest {

	/** Bit patterns that must survive: NaNs (with payloads), infinities, signed zeros, subnormals, extremes. */
	private static final double[] SPECIAL = { Double.NaN, Double.longBitsToDouble(0x7ff8000000000123L),
			Double.longBitsToDouble(0xfff8000000000000L), Double.POSITIVE_INFINITY, Double.NEGATIVE_INFINITY, 0.0,
			-0.0, Double.MIN_VALUE, -Double.MIN_VALUE, 1e-310, Double.MIN_NORMAL, Math.nextDown(Double.MIN_NORMAL),
			Double.MAX_VALUE, -Double.MAX_VALUE, 1.0 / 3, Math.PI, -1e300, 42 };

	private static void assertSameBits(double[][] expected, NpyArray actual, String what) {
		int cols = expected.length == 0 ? actual.columns() : expected[0].length;
		assertArrayEquals(new long[] { expected.length, cols }, actual.shape(), what + ": shape");
		for (int r = 0; r < expected.length; r++) {
			for (int c = 0; c < cols; c++) {
				long e = Double.doubleToRawLongBits(expected[r][c]);
				long a = Double.doubleToRawLongBits(actual.get(r, c));
				if (e != a) {
					fail(what + ": (" + r + ", " + c + ") has bits " + Long.toHexString(a) + ", expected "
							+ Long.toHexString(e) + " (" + expected[r][c] + ")");
				}
			}
		}
	}

	@Test
	void specialValuesSurviveBitForBit(@TempDir Path dir) throws IOException {
		int cols = 3;
		double[][] rows = new double[SPECIAL.length][cols];
		for (int r = 0; r < rows.length; r++) {
			for (int c = 0; c < cols; c++) {
				rows[r][c] = SPECIAL[(r + c) % SPECIAL.length];
			}
		}
		Path file = dir.resolve("special.npy");
		Npy.write(file, rows, cols);
		assertSameBits(rows, Npy.read(file), "via a file");
		assertSameBits(rows, Npy.read(Npy.toBytes(rows, cols), "special"), "via bytes");
		assertSameBits(rows, Npy.read(Files.readAllBytes(file), "special"), "file bytes");
	}

	@Test
	void randomShapesAndBitPatternsRoundTrip(@TempDir Path dir) throws IOException {
		SplittableRandom random = new SplittableRandom(1234567);
		for (int trial = 0; trial < 300; trial++) {
			int rows = random.nextInt(0, trial < 290 ? 20 : 3000);
			int cols = random.nextInt(0, 9);
			double[][] values = new double[rows][cols];
			for (double[] row : values) {
				for (int c = 0; c < cols; c++) {
					row[c] = switch (random.nextInt(3)) {
					case 0 -> Double.longBitsToDouble(random.nextLong()); // any bits, NaN payloads included
					case 1 -> SPECIAL[random.nextInt(SPECIAL.length)];
					default -> random.nextGaussian();
					};
				}
			}
			String what = "trial " + trial + " (" + rows + ", " + cols + ")";
			NpyArray back = trial % 5 == 0 ? readViaFile(dir, values, cols) : Npy.read(Npy.toBytes(values, cols), what);
			assertSameBits(values, back, what);
			assertEquals(rows, back.rows(), what);
			assertEquals(cols, back.columns(), what);
			double[][] again = back.toRows();
			assertEquals(rows, again.length);
			for (int r = 0; r < rows; r++) {
				assertArrayEquals(values[r], again[r], what); // Arrays.equals semantics: NaN == NaN
			}
		}
	}

	private static NpyArray readViaFile(Path dir, double[][] values, int cols) throws IOException {
		Path file = dir.resolve("r.npy");
		Npy.write(file, values, cols);
		return Npy.read(file);
	}

	@Test
	void emptyShapesRoundTrip(@TempDir Path dir) throws IOException {
		for (int cols : new int[] { 0, 1, 5, 1000 }) {
			double[][] none = new double[0][];
			byte[] bytes = Npy.toBytes(none, cols);
			NpyArray a = Npy.read(bytes, "empty");
			assertArrayEquals(new long[] { 0, cols }, a.shape());
			assertEquals(0, a.rows());
			assertEquals(cols, a.columns());
			assertEquals(0, a.toRows().length);
			assertEquals(0, a.data().length);
			Path file = dir.resolve("empty" + cols + ".npy");
			Npy.write(file, none, cols);
			assertEquals(a, Npy.read(file));
			assertEquals(0, Files.size(file) % 64, "an empty array is its header, a multiple of 64 bytes");
		}
		NpyArray noColumns = Npy.read(Npy.toBytes(new double[4][0], 0), "no columns");
		assertArrayEquals(new long[] { 4, 0 }, noColumns.shape());
		assertEquals(4, noColumns.toRows().length);
	}

	@Test
	void zeroAndOneDimensionalArraysRoundTrip(@TempDir Path dir) throws IOException {
		NpyArray scalar = new NpyArray(new long[0], new double[] { -0.0 });
		NpyArray vector = new NpyArray(new long[] { 4 }, new double[] { 1, Double.NaN, Double.NEGATIVE_INFINITY, 1e-320 });
		NpyArray emptyVector = new NpyArray(new long[] { 0 }, new double[0]);
		NpyArray wideEmpty = new NpyArray(new long[] { 0, Integer.MAX_VALUE }, new double[0]);
		for (NpyArray a : new NpyArray[] { scalar, vector, emptyVector, wideEmpty }) {
			assertEquals(a, Npy.read(Npy.toBytes(a), a.toString()));
			Path file = dir.resolve("a.npy");
			Npy.write(file, a);
			assertEquals(a, Npy.read(file));
			ByteArrayOutputStream out = new ByteArrayOutputStream();
			Npy.write(out, a);
			assertArrayEquals(Npy.toBytes(a), out.toByteArray());
		}
		assertEquals(Double.doubleToRawLongBits(-0.0),
				Double.doubleToRawLongBits(Npy.read(Npy.toBytes(scalar), "scalar").get(0, 0)));
	}

	@Test
	void everyWriterGivesTheSameBytes(@TempDir Path dir) throws IOException {
		SplittableRandom random = new SplittableRandom(99);
		double[][] rows = new double[5000][3]; // 120 000 bytes of data: several of the writer's 64 KiB chunks
		for (double[] row : rows) {
			for (int c = 0; c < 3; c++) {
				row[c] = random.nextDouble();
			}
		}
		byte[] bytes = Npy.toBytes(rows, 3);
		ByteArrayOutputStream out = new ByteArrayOutputStream();
		Npy.write(out, rows, 3);
		assertArrayEquals(bytes, out.toByteArray(), "write(OutputStream)");
		Path file = dir.resolve("same.npy");
		Files.write(file, new byte[300_000]); // a longer old file is replaced, not overlaid
		Npy.write(file, rows, 3);
		assertArrayEquals(bytes, Files.readAllBytes(file), "write(Path)");
		assertArrayEquals(bytes, Npy.toBytes(NpyArray.ofRows(rows, 3)), "toBytes(NpyArray)");
	}

	/** {@code np.save(f, np.array([[1.5, -0.0, np.nan], [np.inf, -np.inf, 5e-324]]))} in numpy 2.4.6. */
	private static final String NUMPY_2X3 = "934e554d5059010076007b276465736372273a20273c6638272c2027666f727472616e5f6f72646572273a2046616c73652c20277368617065273a2028322c2033292c207d202020202020202020202020202020202020202020202020202020202020202020202020202020202020202020202020202020202020202020200a000000000000f83f0000000000000080000000000000f87f000000000000f07f000000000000f0ff0100000000000000";
	/** {@code np.save(f, np.zeros((0, 3)))} in numpy 2.4.6. */
	private static final String NUMPY_0X3 = "934e554d5059010076007b276465736372273a20273c6638272c2027666f727472616e5f6f72646572273a2046616c73652c20277368617065273a2028302c2033292c207d202020202020202020202020202020202020202020202020202020202020202020202020202020202020202020202020202020202020202020200a";

	@Test
	void bytesAreExactlyWhatNumpyWrites() {
		double[][] rows = { { 1.5, -0.0, Double.NaN }, { Double.POSITIVE_INFINITY, Double.NEGATIVE_INFINITY, 5e-324 } };
		assertArrayEquals(HexFormat.of().parseHex(NUMPY_2X3), Npy.toBytes(rows, 3));
		assertArrayEquals(HexFormat.of().parseHex(NUMPY_0X3), Npy.toBytes(new double[0][], 3));
	}

	@Test
	void headerLayoutIsNumpys() {
		// (rows, 0) arrays have no data, so headers for any first dimension are cheap to make.
		long[] dims = { 0, 1, 9, 10, 99, 12345, 1_000_000_000, Integer.MAX_VALUE };
		for (long first : dims) {
			for (long second : dims) {
				if (first * second <= 1000) { // the rest would need too much data
					NpyArray a = new NpyArray(new long[] { first, second }, new double[(int) (first * second)]);
					checkLayout(Npy.toBytes(a), a.shape());
				}
			}
			if (first <= 1000) {
				NpyArray a = new NpyArray(new long[] { first }, new double[(int) first]);
				checkLayout(Npy.toBytes(a), a.shape());
			}
		}
		checkLayout(Npy.toBytes(new NpyArray(new long[0], new double[] { 1 })), new long[0]);
	}

	private static void checkLayout(byte[] bytes, long[] shape) {
		String what = NpyIndependentReaderTest.pyShape(shape);
		assertEquals((byte) 0x93, bytes[0], what);
		assertEquals("NUMPY", new String(bytes, 1, 5, StandardCharsets.ISO_8859_1), what);
		assertEquals(1, bytes[6], what + ": major version");
		assertEquals(0, bytes[7], what + ": minor version");
		int headerLength = ByteBuffer.wrap(bytes, 8, 2).order(ByteOrder.LITTLE_ENDIAN).getShort() & 0xffff;
		int dataOffset = 10 + headerLength;
		assertEquals(0, dataOffset % 64, what + ": data offset " + dataOffset + " is a multiple of 64");
		String header = new String(bytes, 10, headerLength, StandardCharsets.ISO_8859_1);
		assertEquals('\n', header.charAt(header.length() - 1), what + ": the header ends with a newline");
		String dict = NpyIndependentReaderTest.numpyDict("<f8", false, shape);
		assertTrue(header.startsWith(dict), what + ": " + header);
		assertTrue(header.substring(dict.length()).matches(" {1,64}\n"), what + ": space padding as numpy's");
		long count = 1;
		for (long d : shape) {
			count *= d;
		}
		assertEquals(dataOffset + 8 * count, bytes.length, what + ": file length");
	}

	@Test
	void raggedRowsAreRejectedNamingTheRow(@TempDir Path dir) throws IOException {
		double[][] ragged = { { 1, 2 }, { 3, 4 }, { 5 } };
		IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> Npy.toBytes(ragged, 2));
		assertTrue(e.getMessage().contains("row 2"), e.getMessage());
		assertTrue(e.getMessage().contains("1 entries, expected 2"), e.getMessage());
		Path file = dir.resolve("ragged.npy");
		assertThrows(IllegalArgumentException.class, () -> Npy.write(file, ragged, 2));
		assertFalse(Files.exists(file), "nothing is written for invalid rows");
		ByteArrayOutputStream out = new ByteArrayOutputStream();
		assertThrows(IllegalArgumentException.class, () -> Npy.write(out, ragged, 2));
		assertEquals(0, out.size());
		IllegalArgumentException nullRow = assertThrows(IllegalArgumentException.class,
				() -> Npy.toBytes(new double[][] { { 1 }, null }, 1));
		assertTrue(nullRow.getMessage().contains("row 1"), nullRow.getMessage());
		assertThrows(IllegalArgumentException.class, () -> Npy.toBytes(new double[0][], -1));
		assertThrows(IllegalArgumentException.class, () -> Npy.toBytes(new double[][] { { 1, 2 } }, 3));
	}

	@Test
	void npyArrayValidatesComparesByContentAndCopies() {
		assertThrows(IllegalArgumentException.class, () -> new NpyArray(new long[] { 2, 3 }, new double[5]));
		assertThrows(IllegalArgumentException.class, () -> new NpyArray(new long[] { -1 }, new double[0]));
		assertThrows(IllegalArgumentException.class, () -> new NpyArray(new long[] { 1, 1, 1 }, new double[1]));
		assertThrows(IllegalArgumentException.class, () -> new NpyArray(new long[0], new double[0]));
		assertThrows(IllegalArgumentException.class,
				() -> new NpyArray(new long[] { 1L << 31, 0 }, new double[0]));

		double[] data = { 1, 2, 3, 4, 5, 6 };
		long[] shape = { 2, 3 };
		NpyArray a = new NpyArray(shape, data);
		data[0] = 99;
		shape[0] = 6;
		assertEquals(1, a.get(0, 0), "the constructor copies");
		a.data()[1] = 99;
		a.shape()[1] = 1;
		assertEquals(2, a.get(0, 1), "the accessors copy");
		assertArrayEquals(new long[] { 2, 3 }, a.shape());

		NpyArray b = new NpyArray(new long[] { 2, 3 }, new double[] { 1, 2, 3, 4, 5, 6 });
		assertEquals(a, b);
		assertEquals(a.hashCode(), b.hashCode());
		assertNotEquals(a, new NpyArray(new long[] { 3, 2 }, new double[] { 1, 2, 3, 4, 5, 6 }));
		assertNotEquals(new NpyArray(new long[] { 1 }, new double[] { 0.0 }),
				new NpyArray(new long[] { 1 }, new double[] { -0.0 }));
		assertEquals(new NpyArray(new long[] { 1 }, new double[] { Double.NaN }),
				new NpyArray(new long[] { 1 }, new double[] { Double.NaN }));
		assertTrue(a.toString().contains("(2, 3)") && a.toString().contains("6.0"), a.toString());

		assertEquals(2, a.rows());
		assertEquals(3, a.columns());
		assertEquals(6, a.get(1, 2));
		assertThrows(IndexOutOfBoundsException.class, () -> a.get(2, 0));
		assertThrows(IndexOutOfBoundsException.class, () -> a.get(0, 3));
		assertThrows(IndexOutOfBoundsException.class, () -> a.get(-1, 0));
		assertArrayEquals(new double[][] { { 1, 2, 3 }, { 4, 5, 6 } }, a.toRows());

		NpyArray vector = new NpyArray(new long[] { 3 }, new double[] { 7, 8, 9 });
		assertEquals(1, vector.ndim());
		assertEquals(3, vector.rows(), "a 1-D array is a column: one value per row");
		assertEquals(1, vector.columns());
		assertEquals(9, vector.get(2, 0));
		assertThrows(IndexOutOfBoundsException.class, () -> vector.get(0, 1));
		assertArrayEquals(new double[][] { { 7 }, { 8 }, { 9 } }, vector.toRows());

		NpyArray scalar = new NpyArray(new long[0], new double[] { 5 });
		assertEquals(1, scalar.rows());
		assertEquals(1, scalar.columns());
		assertEquals(1, scalar.size());
		assertArrayEquals(new double[][] { { 5 } }, scalar.toRows());

		assertEquals(a, NpyArray.ofRows(new double[][] { { 1, 2, 3 }, { 4, 5, 6 } }, 3));
	}
}
