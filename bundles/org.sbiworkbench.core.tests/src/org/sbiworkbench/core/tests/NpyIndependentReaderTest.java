package org.sbiworkbench.core.tests;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assertions.fail;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.HexFormat;
import java.util.SplittableRandom;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.sbiworkbench.core.storage.Npy;
import org.sbiworkbench.core.storage.NpyArray;
import org.sbiworkbench.core.storage.NpyFormatException;

/**
 * Checks {@link Npy} against code that shares nothing with it: a reader and a
 * writer written here from the format description (a regex for the header,
 * {@link ByteBuffer} for the data), and bytes captured from numpy itself.
 */
class NpyIndependentReaderTest {

	// ------------------------------------------------------------ the independent reader and writer

	/** What the independent reader makes of a file: shape, and the values in row-major order. */
	record Parsed(int major, String descr, boolean fortran, long[] shape, double[] values) {
	}

	private static final String W = "[ \\t\\f\\r\\n]*";
	private static final String INT = "(0|[1-9][0-9]{0,17})";
	/**
	 * The header as numpy writes it (keys in numpy's order), allowing Python's
	 * whitespace between tokens and the optional trailing commas.
	 */
	private static final Pattern HEADER = Pattern.compile("^" + W + "\\{" + W + "'descr'" + W + ":" + W
			+ "'([<>|][a-z][0-9])'" + W + "," + W + "'fortran_order'" + W + ":" + W + "(True|False)" + W + "," + W
			+ "'shape'" + W + ":" + W + "\\(" + W + "(?:" + INT + W + "," + W + "|" + INT + W + "," + W + INT + W
			+ "(?:," + W + ")?)?\\)" + W + "(?:," + W + ")?\\}" + W + "$");

	/**
	 * Reads an {@code .npy} file independently of {@link Npy}, with the same
	 * dtype coverage; null when the bytes are not a file of that grammar (or
	 * the data is not exactly as long as the header says).
	 */
	static Parsed independentRead(byte[] file) {
		if (file.length < 10 || (file[0] & 0xff) != 0x93
				|| !new String(file, 1, 5, StandardCharsets.ISO_8859_1).equals("NUMPY") || file[7] != 0
				|| file[6] < 1 || file[6] > 3) {
			return null;
		}
		int major = file[6];
		ByteBuffer b = ByteBuffer.wrap(file).order(ByteOrder.LITTLE_ENDIAN);
		long headerLength;
		int start;
		if (major == 1) {
			headerLength = b.getShort(8) & 0xffff;
			start = 10;
		} else {
			if (file.length < 12) {
				return null;
			}
			headerLength = b.getInt(8) & 0xffffffffL;
			start = 12;
		}
		if (start + headerLength > file.length) {
			return null;
		}
		String header = new String(file, start, (int) headerLength,
				major == 3 ? StandardCharsets.UTF_8 : StandardCharsets.ISO_8859_1);
		Matcher m = HEADER.matcher(header);
		if (!m.matches()) {
			return null;
		}
		String descr = m.group(1);
		boolean fortran = m.group(2).equals("True");
		long[] shape = m.group(3) != null ? new long[] { Long.parseLong(m.group(3)) }
				: m.group(4) != null ? new long[] { Long.parseLong(m.group(4)), Long.parseLong(m.group(5)) }
						: new long[0];
		char order = descr.charAt(0);
		char kind = descr.charAt(1);
		int size = descr.charAt(2) - '0';
		boolean supported = switch (kind) {
		case 'f' -> size == 8 || size == 4;
		case 'i' -> size == 8 || size == 4 || size == 2 || size == 1;
		case 'u' -> size == 4 || size == 2 || size == 1;
		case 'b' -> size == 1;
		default -> false;
		};
		if (!supported || order == '|' && size != 1) {
			return null;
		}
		long count = 1;
		try {
			for (long d : shape) {
				if (d > Integer.MAX_VALUE) { // even with no data: NpyArray dimensions are ints
					return null;
				}
				count = Math.multiplyExact(count, d);
			}
			if (Math.multiplyExact(count, size) != file.length - start - headerLength || count > 100_000_000) {
				return null;
			}
		} catch (ArithmeticException e) {
			return null;
		}
		ByteBuffer data = ByteBuffer.wrap(file, (int) (start + headerLength), (int) (count * size)).slice()
				.order(order == '>' ? ByteOrder.BIG_ENDIAN : ByteOrder.LITTLE_ENDIAN);
		double[] inFileOrder = new double[(int) count];
		for (int i = 0; i < count; i++) {
			int at = i * size;
			inFileOrder[i] = switch (kind) {
			case 'f' -> size == 8 ? data.getDouble(at) : data.getFloat(at);
			case 'i' -> size == 8 ? data.getLong(at)
					: size == 4 ? data.getInt(at) : size == 2 ? data.getShort(at) : data.get(at);
			case 'u' -> size == 4 ? Integer.toUnsignedLong(data.getInt(at))
					: size == 2 ? Short.toUnsignedInt(data.getShort(at)) : Byte.toUnsignedInt(data.get(at));
			default -> data.get(at) == 0 ? 0 : 1;
			};
		}
		double[] values = inFileOrder;
		if (fortran && shape.length == 2) { // element (r, c) is at c * rows + r in the file
			int rows = (int) shape[0];
			int cols = (int) shape[1];
			values = new double[(int) count];
			for (int r = 0; r < rows; r++) {
				for (int c = 0; c < cols; c++) {
					values[r * cols + c] = inFileOrder[c * rows + r];
				}
			}
		}
		return new Parsed(major, descr, fortran, shape, values);
	}

	/** The shape as Python's repr writes a tuple. */
	static String pyShape(long... shape) {
		if (shape.length == 1) {
			return "(" + shape[0] + ",)";
		}
		StringBuilder s = new StringBuilder("(");
		for (int i = 0; i < shape.length; i++) {
			s.append(i == 0 ? "" : ", ").append(shape[i]);
		}
		return s.append(")").toString();
	}

	/** numpy's header dict for these values, with numpy's spare spaces for growing the first axis. */
	static String numpyDict(String descr, boolean fortran, long... shape) {
		String dict = "{'descr': '" + descr + "', 'fortran_order': " + (fortran ? "True" : "False") + ", 'shape': "
				+ pyShape(shape) + ", }";
		if (shape.length > 0) {
			dict += " ".repeat(21 - Long.toString(shape[fortran ? shape.length - 1 : 0]).length());
		}
		return dict;
	}

	/**
	 * A file with the given header text, padded with spaces and a final
	 * {@code '\n'} so the data starts at a multiple of {@code align} (numpy: 64,
	 * numpy before 1.14: 16), then {@code data}.
	 */
	static byte[] assemble(int major, String dict, int align, byte[] data) {
		byte[] text = dict.getBytes(major == 3 ? StandardCharsets.UTF_8 : StandardCharsets.ISO_8859_1);
		int prefix = major == 1 ? 10 : 12;
		int pad = align - (prefix + text.length + 1) % align;
		int headerLength = text.length + pad + 1;
		ByteBuffer b = ByteBuffer.allocate(prefix + headerLength + data.length).order(ByteOrder.LITTLE_ENDIAN);
		b.put((byte) 0x93).put("NUMPY".getBytes(StandardCharsets.ISO_8859_1)).put((byte) major).put((byte) 0);
		if (major == 1) {
			b.putShort((short) headerLength);
		} else {
			b.putInt(headerLength);
		}
		b.put(text);
		for (int i = 0; i < pad; i++) {
			b.put((byte) ' ');
		}
		b.put((byte) '\n').put(data);
		return b.array();
	}

	static byte[] doubles(ByteOrder order, double... values) {
		ByteBuffer b = ByteBuffer.allocate(8 * values.length).order(order);
		for (double v : values) {
			b.putDouble(v);
		}
		return b.array();
	}

	static byte[] floats(ByteOrder order, float... values) {
		ByteBuffer b = ByteBuffer.allocate(4 * values.length).order(order);
		for (float v : values) {
			b.putFloat(v);
		}
		return b.array();
	}

	private static void assertSameBits(double[] expected, double[] actual, String what) {
		assertEquals(expected.length, actual.length, what + ": length");
		for (int i = 0; i < expected.length; i++) {
			if (Double.doubleToRawLongBits(expected[i]) != Double.doubleToRawLongBits(actual[i])) {
				fail(what + ": value " + i + " is " + actual[i] + ", expected " + expected[i]);
			}
		}
	}

	// ------------------------------------------------------------ the independent reader reads what Npy writes

	@Test
	void independentReaderReadsWhatNpyWrites(@TempDir Path dir) throws IOException {
		SplittableRandom random = new SplittableRandom(20240611);
		for (int trial = 0; trial < 200; trial++) {
			int rows = random.nextInt(trial % 10 == 0 ? 0 : 1, 30);
			int cols = random.nextInt(0, 12);
			double[][] values = new double[rows][cols];
			for (double[] row : values) {
				for (int c = 0; c < cols; c++) {
					row[c] = random.nextBoolean() ? random.nextGaussian() * 1e3
							: Double.longBitsToDouble(random.nextLong() & 0x7fefffffffffffffL | random.nextLong() & 1L << 63);
				}
			}
			byte[] bytes;
			if (trial % 4 == 0) {
				Path file = dir.resolve("trial" + trial + ".npy");
				Npy.write(file, values, cols);
				bytes = Files.readAllBytes(file);
			} else {
				bytes = Npy.toBytes(values, cols);
			}
			String what = "trial " + trial + " shape (" + rows + ", " + cols + ")";
			int headerLength = ByteBuffer.wrap(bytes, 8, 2).order(ByteOrder.LITTLE_ENDIAN).getShort() & 0xffff;
			assertEquals(1, bytes[6], what + ": version 1.0");
			assertEquals(0, (10 + headerLength) % 64, what + ": data offset is a multiple of 64");
			String header = new String(bytes, 10, headerLength, StandardCharsets.ISO_8859_1);
			String dict = numpyDict("<f8", false, rows, cols);
			assertTrue(header.startsWith(dict), what + ": header dict as numpy writes it: " + header);
			assertTrue(header.substring(dict.length()).matches(" *\n"), what + ": padded with spaces, ends with a newline");
			Parsed p = independentRead(bytes);
			assertNotNull(p, what + ": the independent reader does not understand " + header);
			assertArrayEquals(new long[] { rows, cols }, p.shape(), what);
			double[] flat = new double[rows * cols];
			for (int r = 0; r < rows; r++) {
				System.arraycopy(values[r], 0, flat, r * cols, cols);
			}
			assertSameBits(flat, p.values(), what);
		}
	}

	// ------------------------------------------------------------ Npy reads what numpy writes

	/** {@code np.save} of numpy 2.4.6, captured as hex. */
	private static final String NUMPY_F4_3X2 = "934e554d5059010076007b276465736372273a20273c6634272c2027666f727472616e5f6f72646572273a2046616c73652c20277368617065273a2028332c2032292c207d202020202020202020202020202020202020202020202020202020202020202020202020202020202020202020202020202020202020202020200a0000c03f000010c0cdcccc3de6b1617f000000800000807f";
	private static final String NUMPY_FORTRAN_2X3 = "934e554d5059010076007b276465736372273a20273c6638272c2027666f727472616e5f6f72646572273a20547275652c20277368617065273a2028322c2033292c207d20202020202020202020202020202020202020202020202020202020202020202020202020202020202020202020202020202020202020202020200a000000000000f03f00000000000010400000000000000040000000000000144000000000000008400000000000001840";
	private static final String NUMPY_BE_F8_3 = "934e554d5059010076007b276465736372273a20273e6638272c2027666f727472616e5f6f72646572273a2046616c73652c20277368617065273a2028332c292c207d2020202020202020202020202020202020202020202020202020202020202020202020202020202020202020202020202020202020202020202020200a3ff0000000000000c00400000000000001a56e1fc2f8f359";
	private static final String NUMPY_V2_F8_2 = "934e554d50590200740000007b276465736372273a20273c6638272c2027666f727472616e5f6f72646572273a2046616c73652c20277368617065273a2028322c292c207d202020202020202020202020202020202020202020202020202020202020202020202020202020202020202020202020202020202020202020200a000000000000f03f0000000000000040";
	private static final String NUMPY_I8_2X2 = "934e554d5059010076007b276465736372273a20273c6938272c2027666f727472616e5f6f72646572273a2046616c73652c20277368617065273a2028322c2032292c207d202020202020202020202020202020202020202020202020202020202020202020202020202020202020202020202020202020202020202020200affffffffffffffff000000000000200003000000000000000000000000ffffff";
	private static final String NUMPY_U1_4 = "934e554d5059010076007b276465736372273a20277c7531272c2027666f727472616e5f6f72646572273a2046616c73652c20277368617065273a2028342c292c207d2020202020202020202020202020202020202020202020202020202020202020202020202020202020202020202020202020202020202020202020200a000180ff";
	private static final String NUMPY_SCALAR = "934e554d5059010076007b276465736372273a20273c6638272c2027666f727472616e5f6f72646572273a2046616c73652c20277368617065273a2028292c207d20202020202020202020202020202020202020202020202020202020202020202020202020202020202020202020202020202020202020202020202020200a0000000000000440";

	private static NpyArray read(byte[] bytes) throws NpyFormatException {
		return Npy.read(bytes, "test.npy");
	}

	@Test
	void readsALiteralNumpyF4HeaderAssembledByHand() throws IOException {
		// np.save(f, np.array([[1.5, -2.25], [0.1, 3e38], [-0.0, np.inf]], dtype='<f4'))
		String dict = "{'descr': '<f4', 'fortran_order': False, 'shape': (3, 2), }" + " ".repeat(20);
		float[] values = { 1.5f, -2.25f, 0.1f, 3e38f, -0.0f, Float.POSITIVE_INFINITY };
		byte[] bytes = assemble(1, dict, 64, floats(ByteOrder.LITTLE_ENDIAN, values));
		assertArrayEquals(HexFormat.of().parseHex(NUMPY_F4_3X2), bytes, "assembled exactly as numpy writes it");
		NpyArray a = read(bytes);
		assertArrayEquals(new long[] { 3, 2 }, a.shape());
		assertEquals(3, a.rows());
		assertEquals(2, a.columns());
		double[] expected = new double[6];
		for (int i = 0; i < 6; i++) {
			expected[i] = values[i];
		}
		assertSameBits(expected, a.data(), "<f4");
		assertEquals((double) 0.1f, a.get(1, 0));
		assertSameBits(expected, independentRead(bytes).values(), "independent <f4");
	}

	@Test
	void readsVersion2And3Headers() throws IOException {
		String dict = numpyDict("<f8", false, 2);
		byte[] v2 = assemble(2, dict, 64, doubles(ByteOrder.LITTLE_ENDIAN, 1, 2));
		assertArrayEquals(HexFormat.of().parseHex(NUMPY_V2_F8_2), v2, "np.lib.format.write_array(version=(2, 0))");
		assertSameBits(new double[] { 1, 2 }, read(v2).data(), "version 2.0");
		byte[] v3 = v2.clone();
		v3[6] = 3;
		assertSameBits(new double[] { 1, 2 }, read(v3).data(), "version 3.0");
		// A version 3.0 header is decoded as UTF-8: the two bytes of 'é' arrive as one character.
		byte[] v3Utf8 = assemble(3, "{'descr': '<f8', 'fortran_order': False, 'shape': (1,), 'é': 1}", 64,
				doubles(ByteOrder.LITTLE_ENDIAN, 1));
		NpyFormatException e = assertThrows(NpyFormatException.class, () -> read(v3Utf8));
		assertTrue(e.getMessage().contains("unexpected key '\\xe9'"), e.getMessage());
	}

	@Test
	void readsFortranOrderAsTheSameMatrix() throws IOException {
		// np.save(f, np.asfortranarray([[1., 2., 3.], [4., 5., 6.]])): the file holds the columns.
		byte[] bytes = assemble(1, numpyDict("<f8", true, 2, 3), 64,
				doubles(ByteOrder.LITTLE_ENDIAN, 1, 4, 2, 5, 3, 6));
		assertArrayEquals(HexFormat.of().parseHex(NUMPY_FORTRAN_2X3), bytes);
		NpyArray a = read(bytes);
		assertArrayEquals(new long[] { 2, 3 }, a.shape());
		assertSameBits(new double[] { 1, 2, 3, 4, 5, 6 }, a.data(), "fortran order");
		assertArrayEquals(new double[] { 4, 5, 6 }, a.toRows()[1]);
		assertEquals(6.0, a.get(1, 2));
		// 1-D Fortran order is the same as C order
		assertSameBits(new double[] { 7, 8 },
				read(assemble(1, numpyDict("<f8", true, 2), 64, doubles(ByteOrder.LITTLE_ENDIAN, 7, 8))).data(), "1-D");
	}

	@Test
	void readsBigEndian() throws IOException {
		byte[] f8 = assemble(1, numpyDict(">f8", false, 3), 64, doubles(ByteOrder.BIG_ENDIAN, 1, -2.5, 1e-300));
		assertArrayEquals(HexFormat.of().parseHex(NUMPY_BE_F8_3), f8);
		NpyArray a = read(f8);
		assertArrayEquals(new long[] { 3 }, a.shape());
		assertEquals(3, a.rows());
		assertEquals(1, a.columns());
		assertSameBits(new double[] { 1, -2.5, 1e-300 }, a.data(), ">f8");
		byte[] f4 = assemble(1, numpyDict(">f4", false, 2, 2), 64, floats(ByteOrder.BIG_ENDIAN, 1, -2.5f, 7, 0));
		assertSameBits(new double[] { 1, -2.5, 7, 0 }, read(f4).data(), ">f4");
		ByteBuffer i8 = ByteBuffer.allocate(16).order(ByteOrder.BIG_ENDIAN).putLong(-3).putLong(1L << 40);
		assertSameBits(new double[] { -3, 0x1p40 },
				read(assemble(1, numpyDict(">i8", false, 2), 64, i8.array())).data(), ">i8");
	}

	@Test
	void readsIntegerAndBooleanDtypes() throws IOException {
		NpyArray i8 = read(HexFormat.of().parseHex(NUMPY_I8_2X2)); // [[-1, 2**53], [3, -2**40]]
		assertSameBits(new double[] { -1, 0x1p53, 3, -0x1p40 }, i8.data(), "<i8");
		NpyArray u1 = read(HexFormat.of().parseHex(NUMPY_U1_4)); // [0, 1, 128, 255]
		assertSameBits(new double[] { 0, 1, 128, 255 }, u1.data(), "|u1");

		ByteBuffer i4 = ByteBuffer.allocate(12).order(ByteOrder.LITTLE_ENDIAN).putInt(-7).putInt(0).putInt(Integer.MAX_VALUE);
		assertSameBits(new double[] { -7, 0, Integer.MAX_VALUE },
				read(assemble(1, numpyDict("<i4", false, 3), 64, i4.array())).data(), "<i4");
		assertSameBits(new double[] { -128, 0, 127 },
				read(assemble(1, numpyDict("|i1", false, 3), 64, new byte[] { -128, 0, 127 })).data(), "|i1");
		assertSameBits(new double[] { 1, 0, 1 },
				read(assemble(1, numpyDict("|b1", false, 3), 64, new byte[] { 1, 0, 2 })).data(), "|b1");
		ByteBuffer i2 = ByteBuffer.allocate(4).order(ByteOrder.LITTLE_ENDIAN).putShort((short) -2).putShort((short) 300);
		assertSameBits(new double[] { -2, 300 }, read(assemble(1, numpyDict("<i2", false, 2), 64, i2.array())).data(), "<i2");
		ByteBuffer u2 = ByteBuffer.allocate(2).order(ByteOrder.LITTLE_ENDIAN).putShort((short) 0xffff);
		assertSameBits(new double[] { 65535 }, read(assemble(1, numpyDict("<u2", false, 1), 64, u2.array())).data(), "<u2");
		ByteBuffer u4 = ByteBuffer.allocate(4).order(ByteOrder.BIG_ENDIAN).putInt(-1);
		assertSameBits(new double[] { 4294967295.0 }, read(assemble(1, numpyDict(">u4", false, 1), 64, u4.array())).data(), ">u4");
	}

	@Test
	void readsScalarsAndEmptyArrays() throws IOException {
		NpyArray scalar = read(HexFormat.of().parseHex(NUMPY_SCALAR)); // np.array(2.5)
		assertArrayEquals(new long[0], scalar.shape());
		assertEquals(0, scalar.ndim());
		assertEquals(1, scalar.rows());
		assertEquals(1, scalar.columns());
		assertEquals(2.5, scalar.get(0, 0));
		NpyArray empty = read(assemble(1, numpyDict("<f8", false, 0, 7), 64, new byte[0]));
		assertArrayEquals(new long[] { 0, 7 }, empty.shape());
		assertEquals(0, empty.toRows().length);
		NpyArray noColumns = read(assemble(1, numpyDict("<f4", false, 5, 0), 64, new byte[0]));
		assertEquals(5, noColumns.toRows().length);
		assertEquals(0, noColumns.toRows()[4].length);
	}

	@Test
	void readsHeaderVariantsPythonAccepts() throws IOException {
		byte[] data = doubles(ByteOrder.LITTLE_ENDIAN, 1, 2, 3, 4, 5, 6);
		String[] dicts = {
				"{'shape': (3, 2), 'fortran_order': False, 'descr': '<f8'}", // keys in another order, no trailing comma
				"{\"descr\": \"<f8\", \"fortran_order\": False, \"shape\": (3, 2)}", // double quotes
				"{'descr':'<f8','fortran_order':False,'shape':(3,2),}", // no spaces
				"{\n  'descr': '<f8',\n\t'fortran_order': False,\r\n  'shape': ( 3 , 2 , ) ,\f}", // whitespace, trailing commas
				"  {'descr': '<f8', 'fortran_order': False, 'shape': (3, 2)}", // leading spaces
		};
		for (String dict : dicts) {
			for (int align : new int[] { 64, 16, 1 }) { // 16: numpy before 1.14; 1: no alignment at all
				NpyArray a = read(assemble(1, dict, align, data));
				assertArrayEquals(new long[] { 3, 2 }, a.shape(), dict);
				assertSameBits(new double[] { 1, 2, 3, 4, 5, 6 }, a.data(), dict);
			}
		}
		// An unpadded header without the final '\n' (some third-party writers)
		byte[] text = "{'descr': '<f8', 'fortran_order': False, 'shape': (1,)}".getBytes(StandardCharsets.ISO_8859_1);
		ByteBuffer b = ByteBuffer.allocate(10 + text.length + 8).order(ByteOrder.LITTLE_ENDIAN);
		b.put((byte) 0x93).put("NUMPY".getBytes(StandardCharsets.ISO_8859_1)).put((byte) 1).put((byte) 0)
				.putShort((short) text.length).put(text).putDouble(9);
		assertSameBits(new double[] { 9 }, read(b.array()).data(), "no newline");
	}

	@Test
	void readsThroughAFileAsFromBytes(@TempDir Path dir) throws IOException {
		for (String hex : new String[] { NUMPY_F4_3X2, NUMPY_FORTRAN_2X3, NUMPY_BE_F8_3, NUMPY_V2_F8_2, NUMPY_I8_2X2,
				NUMPY_U1_4, NUMPY_SCALAR }) {
			byte[] bytes = HexFormat.of().parseHex(hex);
			Path file = Files.write(dir.resolve("numpy.npy"), bytes);
			NpyArray fromFile = Npy.read(file);
			assertEquals(read(bytes), fromFile);
			Parsed p = independentRead(bytes);
			assertArrayEquals(p.shape(), fromFile.shape());
			assertSameBits(p.values(), fromFile.data(), hex.substring(0, 120));
		}
		// Larger than the reader's 64 KiB chunks, Fortran order and 4-byte values: exercises the chunked file path.
		SplittableRandom random = new SplittableRandom(7);
		int rows = 301;
		int cols = 97;
		float[] fileOrder = new float[rows * cols];
		for (int i = 0; i < fileOrder.length; i++) {
			fileOrder[i] = (float) random.nextGaussian();
		}
		byte[] bytes = assemble(1, numpyDict(">f4", true, rows, cols), 64, floats(ByteOrder.BIG_ENDIAN, fileOrder));
		Path file = Files.write(dir.resolve("big.npy"), bytes);
		NpyArray a = Npy.read(file);
		for (int r = 0; r < rows; r++) {
			for (int c = 0; c < cols; c++) {
				assertEquals(fileOrder[c * rows + r], a.get(r, c));
			}
		}
		assertEquals(a, read(bytes));
	}
}
