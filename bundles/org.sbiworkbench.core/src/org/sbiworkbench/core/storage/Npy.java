package org.sbiworkbench.core.storage;

import java.io.IOException;
import java.io.OutputStream;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.CharBuffer;
import java.nio.channels.FileChannel;
import java.nio.charset.CharacterCodingException;
import java.nio.charset.CodingErrorAction;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;

/**
 * Reads and writes NumPy {@code .npy} files (the format of {@code numpy.save}
 * and {@code numpy.load}).
 * <p>
 * <b>Writing</b> produces exactly the bytes numpy 2.x writes for a float64
 * array: format version 1.0, dtype {@code '<f8'}, C order, the header dict
 * {@code {'descr': '<f8', 'fortran_order': False, 'shape': (r, c), }} followed
 * by numpy's spare spaces, padded with spaces and ended by {@code '\n'} so the
 * data starts at a multiple of 64 bytes.
 * <p>
 * <b>Reading</b> accepts format versions 1.0, 2.0 and 3.0; 0-D, 1-D and 2-D
 * shapes; C and Fortran order (a Fortran-order 2-D array is transposed into
 * row-major order, so the result is the same matrix numpy shows); and the
 * dtypes {@code f8 f4 i8 i4 i2 i1 u4 u2 u1 b1}, little ({@code <}) or big
 * ({@code >}) endian ({@code |} for the one-byte ones), all converted to
 * {@code double} ({@code i8} values beyond 2^53 are rounded; {@code b1} gives
 * 0 and 1). The header is parsed as the Python literal it is (keys in any
 * order, spaces, tabs, newlines and trailing commas where Python allows
 * them), but only with plain strings, {@code True}/{@code False} and decimal
 * integers: no escapes in strings, no leading zeros, signs or underscores in
 * numbers, no Python 2 {@code L} suffixes.
 * <p>
 * Every malformed input, whatever its bytes, ends in an
 * {@link NpyFormatException} naming the file and the problem: the reader never
 * allocates memory for the data before it has checked that the file holds
 * exactly the bytes the header promises (no more, no fewer), so a corrupt
 * header claiming a huge shape fails at once. Headers over
 * {@value #MAX_HEADER_BYTES} bytes are refused (numpy itself refuses over
 * 10000 unless told to trust the file).
 */
public final class Npy {

	/** The longest header the reader accepts, in bytes. */
	public static final int MAX_HEADER_BYTES = 1 << 20;

	private static final byte[] MAGIC = { (byte) 0x93, 'N', 'U', 'M', 'P', 'Y' };
	private static final int ALIGN = 64;
	/** numpy's GROWTH_AXIS_MAX_DIGITS: spare spaces so the header can be rewritten in place. */
	private static final int GROWTH_AXIS_MAX_DIGITS = 21;
	/** The largest Java array the reader will allocate. */
	private static final int MAX_ARRAY = Integer.MAX_VALUE - 8;
	private static final int CHUNK = 1 << 16;
	private static final int MAX_NESTING = 16;
	private static final String SUPPORTED = "'<f8', '<f4', '<i8', '<i4', '<i2', '|i1', '<u4', '<u2', '|u1', '|b1'"
			+ " and the big-endian '>' forms";
	private static final String CONVERT_HINT = "convert it in numpy first: np.save(path, a.astype('<f8'))";

	private Npy() {
	}

	// ------------------------------------------------------------------ writing

	/**
	 * Writes {@code rows} as a 2-D float64 array of shape
	 * {@code (rows.length, columns)} to {@code file}, replacing it. The bytes go
	 * straight to the file: callers wanting an atomic replacement write to a
	 * temporary file and move it. Nothing is written if the rows are invalid.
	 *
	 * @throws IllegalArgumentException if {@code columns < 0} or a row is null or
	 *                                  does not have {@code columns} entries
	 */
	public static void write(Path file, double[][] rows, int columns) throws IOException {
		Objects.requireNonNull(file, "file");
		checkRows(rows, columns);
		try (OutputStream out = Files.newOutputStream(file)) {
			writeRows(out, rows, columns);
		}
	}

	/**
	 * Writes {@code rows} as a 2-D float64 {@code .npy} array to {@code out}
	 * (which stays open). Nothing is written if the rows are invalid.
	 *
	 * @throws IllegalArgumentException as {@link #write(Path, double[][], int)}
	 */
	public static void write(OutputStream out, double[][] rows, int columns) throws IOException {
		Objects.requireNonNull(out, "out");
		checkRows(rows, columns);
		writeRows(out, rows, columns);
	}

	/**
	 * The {@code .npy} bytes of {@code rows} as a 2-D float64 array.
	 *
	 * @throws IllegalArgumentException as {@link #write(Path, double[][], int)},
	 *                                  or if the file would not fit in a
	 *                                  {@code byte[]}
	 */
	public static byte[] toBytes(double[][] rows, int columns) {
		checkRows(rows, columns);
		byte[] header = header(new long[] { rows.length, columns });
		ByteBuffer buf = ByteBuffer.allocate(fileSize(header, (long) rows.length * columns))
				.order(ByteOrder.LITTLE_ENDIAN);
		buf.put(header);
		for (double[] row : rows) {
			for (double v : row) {
				buf.putDouble(v);
			}
		}
		return buf.array();
	}

	/** Writes {@code array} (0-D, 1-D or 2-D, its own shape) as float64 to {@code file}, replacing it. */
	public static void write(Path file, NpyArray array) throws IOException {
		Objects.requireNonNull(file, "file");
		Objects.requireNonNull(array, "array");
		try (OutputStream out = Files.newOutputStream(file)) {
			write(out, array);
		}
	}

	/** Writes {@code array} (0-D, 1-D or 2-D, its own shape) as float64 to {@code out}, which stays open. */
	public static void write(OutputStream out, NpyArray array) throws IOException {
		Objects.requireNonNull(out, "out");
		out.write(header(array.shape()));
		double[] data = array.dataNoCopy();
		ByteBuffer buf = ByteBuffer.allocate(CHUNK).order(ByteOrder.LITTLE_ENDIAN);
		for (double v : data) {
			if (!buf.hasRemaining()) {
				drain(out, buf);
			}
			buf.putDouble(v);
		}
		drain(out, buf);
	}

	/** The {@code .npy} bytes of {@code array} as float64 with its own shape. */
	public static byte[] toBytes(NpyArray array) {
		byte[] header = header(array.shape());
		double[] data = array.dataNoCopy();
		ByteBuffer buf = ByteBuffer.allocate(fileSize(header, data.length)).order(ByteOrder.LITTLE_ENDIAN);
		buf.put(header);
		buf.asDoubleBuffer().put(data);
		return buf.array();
	}

	static void checkRows(double[][] rows, int columns) {
		Objects.requireNonNull(rows, "rows");
		if (columns < 0) {
			throw new IllegalArgumentException("columns must be >= 0, got " + columns);
		}
		for (int r = 0; r < rows.length; r++) {
			if (rows[r] == null) {
				throw new IllegalArgumentException("row " + r + " is null");
			}
			if (rows[r].length != columns) {
				throw new IllegalArgumentException(
						"row " + r + " has " + rows[r].length + " entries, expected " + columns + " (columns)");
			}
		}
	}

	private static void writeRows(OutputStream out, double[][] rows, int columns) throws IOException {
		out.write(header(new long[] { rows.length, columns }));
		ByteBuffer buf = ByteBuffer.allocate(CHUNK).order(ByteOrder.LITTLE_ENDIAN);
		for (double[] row : rows) {
			for (double v : row) {
				if (!buf.hasRemaining()) {
					drain(out, buf);
				}
				buf.putDouble(v);
			}
		}
		drain(out, buf);
	}

	private static void drain(OutputStream out, ByteBuffer buf) throws IOException {
		out.write(buf.array(), 0, buf.position());
		buf.clear();
	}

	private static int fileSize(byte[] header, long values) {
		long size = header.length + 8 * values;
		if (size > MAX_ARRAY) {
			throw new IllegalArgumentException(
					"the .npy file would be " + size + " bytes, too large for a byte[]; use write(OutputStream, ...)");
		}
		return (int) size;
	}

	/**
	 * Magic, version 1.0, header length and the header dict, padded exactly as
	 * numpy's {@code _write_array_header} and {@code _wrap_header} do.
	 */
	static byte[] header(long[] shape) {
		StringBuilder dict = new StringBuilder("{'descr': '<f8', 'fortran_order': False, 'shape': ")
				.append(NpyArray.shapeText(shape)).append(", }");
		if (shape.length > 0) {
			dict.append(" ".repeat(GROWTH_AXIS_MAX_DIGITS - Long.toString(shape[0]).length()));
		}
		int hlen = dict.length() + 1; // with the final '\n'
		int padlen = ALIGN - ((MAGIC.length + 2 + 2 + hlen) % ALIGN);
		dict.append(" ".repeat(padlen)).append('\n');
		byte[] text = dict.toString().getBytes(StandardCharsets.ISO_8859_1);
		// At most two dimensions: the header is a few hundred bytes, always version 1.0.
		ByteBuffer buf = ByteBuffer.allocate(MAGIC.length + 4 + text.length).order(ByteOrder.LITTLE_ENDIAN);
		buf.put(MAGIC).put((byte) 1).put((byte) 0).putShort((short) text.length).put(text);
		return buf.array();
	}

	// ------------------------------------------------------------------ reading

	/**
	 * Reads the {@code .npy} file {@code file}.
	 *
	 * @throws NpyFormatException if the file is not a well-formed {@code .npy}
	 *                            file this reader supports; the message starts
	 *                            with {@code file.toString()}
	 * @throws IOException        if the file cannot be read (missing, a
	 *                            directory, no permission...)
	 */
	public static NpyArray read(Path file) throws IOException {
		Objects.requireNonNull(file, "file");
		String name = file.toString();
		try (FileChannel ch = FileChannel.open(file, StandardOpenOption.READ)) {
			try {
				return read(ch, name);
			} catch (RuntimeException e) {
				throw internalError(name, e);
			}
		}
	}

	/**
	 * Reads the {@code .npy} file held in {@code bytes}.
	 *
	 * @param name what to call the bytes in error messages (a file name)
	 * @throws NpyFormatException if the bytes are not a well-formed {@code .npy}
	 *                            file this reader supports; the message names
	 *                            {@code name}
	 */
	public static NpyArray read(byte[] bytes, String name) throws NpyFormatException {
		Objects.requireNonNull(bytes, "bytes");
		Objects.requireNonNull(name, "name");
		try {
			Preamble p = preamble(name, bytes, bytes.length);
			int headerEnd = (int) (p.headerStart + p.headerLength); // checked <= bytes.length
			Header h = header(name, bytes, p.headerStart, (int) p.headerLength, p.major);
			int count = checkData(name, h, bytes.length - headerEnd);
			Sink sink = new Sink(h, count);
			ByteBuffer data = ByteBuffer.wrap(bytes, headerEnd, bytes.length - headerEnd).order(h.dtype.order);
			decode(h.dtype, data, sink);
			return new NpyArray(h.shape, sink.out);
		} catch (RuntimeException e) {
			throw internalError(name, e);
		}
	}

	private static NpyArray read(FileChannel ch, String name) throws IOException {
		long size = ch.size();
		byte[] first = new byte[(int) Math.min(size, 12)];
		int got = readFully(ch, first, 0);
		Preamble p = preamble(name, first, got < first.length ? got : size);
		byte[] text = new byte[(int) p.headerLength]; // checked <= size and <= MAX_HEADER_BYTES
		int textGot = readFully(ch, text, p.headerStart);
		if (textGot < text.length) {
			throw truncatedHeader(name, p, p.headerStart + textGot);
		}
		Header h = header(name, text, 0, text.length, p.major);
		long headerEnd = p.headerStart + p.headerLength;
		int count = checkData(name, h, size - headerEnd);
		long expected = (long) count * h.dtype.size;
		Sink sink = new Sink(h, count);
		ByteBuffer buf = ByteBuffer.allocate(CHUNK).order(h.dtype.order);
		long pos = headerEnd;
		long end = headerEnd + expected;
		while (pos < end) {
			buf.limit(buf.position() + (int) Math.min(buf.remaining(), end - pos));
			int n = ch.read(buf, pos);
			if (n <= 0) { // the file shrank since ch.size()
				throw new NpyFormatException(name, "truncated: expected " + expected + " bytes of data for shape "
						+ NpyArray.shapeText(h.shape) + " of '" + h.dtype.descr + "', found " + (pos - headerEnd));
			}
			pos += n;
			buf.flip();
			decode(h.dtype, buf, sink);
			buf.compact();
		}
		if (ch.read(ByteBuffer.allocate(1), end) > 0) { // the file grew since ch.size()
			throw trailing(name, h, expected, expected + 1);
		}
		return new NpyArray(h.shape, sink.out);
	}

	/** Reads into {@code dst} from {@code position} until it is full or the file ends; returns the count read. */
	private static int readFully(FileChannel ch, byte[] dst, long position) throws IOException {
		ByteBuffer buf = ByteBuffer.wrap(dst);
		while (buf.hasRemaining()) {
			int n = ch.read(buf, position + buf.position());
			if (n <= 0) {
				break;
			}
		}
		return buf.position();
	}

	private static NpyFormatException internalError(String name, RuntimeException e) {
		return new NpyFormatException(name, "could not read it (internal error " + e + "; please report it with the file)", e);
	}

	// ---- the preamble: magic, version, header length

	private record Preamble(int major, int minor, int headerStart, long headerLength) {
	}

	/** {@code first} holds the first {@code min(fileSize, 12)} bytes (or fewer if the file is shorter). */
	private static Preamble preamble(String name, byte[] first, long fileSize) throws NpyFormatException {
		int have = (int) Math.min(first.length, fileSize);
		if (have == 0) {
			throw new NpyFormatException(name, "empty file (0 bytes): not an .npy file, which starts with \\x93NUMPY");
		}
		for (int i = 0; i < Math.min(have, MAGIC.length); i++) {
			if (first[i] != MAGIC[i]) {
				throw new NpyFormatException(name, notNpy(first, have));
			}
		}
		if (have < 8) {
			throw new NpyFormatException(name, "truncated: only " + fileSize
					+ " bytes, while an .npy file has at least 10 (magic string, version and header length)");
		}
		int major = first[6] & 0xff;
		int minor = first[7] & 0xff;
		if (minor != 0 || major < 1 || major > 3) {
			throw new NpyFormatException(name, "unsupported .npy format version " + major + "." + minor
					+ "; this reader reads versions 1.0, 2.0 and 3.0"
					+ (minor == 0 && major > 3 ? " (written by a newer numpy? save it with an older one)" : ""));
		}
		int lengthBytes = major == 1 ? 2 : 4;
		int headerStart = 8 + lengthBytes;
		if (have < headerStart) {
			throw new NpyFormatException(name, "truncated header: the file ends inside the header length field ("
					+ fileSize + " bytes)");
		}
		long headerLength = (first[8] & 0xff) | (first[9] & 0xff) << 8;
		if (major > 1) {
			headerLength |= (long) (first[10] & 0xff) << 16 | (long) (first[11] & 0xff) << 24;
		}
		Preamble p = new Preamble(major, minor, headerStart, headerLength);
		if (headerLength > fileSize - headerStart) {
			throw truncatedHeader(name, p, fileSize);
		}
		if (headerLength > MAX_HEADER_BYTES) {
			throw new NpyFormatException(name, "header length field says " + headerLength
					+ " bytes, more than the " + MAX_HEADER_BYTES + " this reader accepts: the header is corrupt");
		}
		return p;
	}

	private static NpyFormatException truncatedHeader(String name, Preamble p, long fileSize) {
		return new NpyFormatException(name, "truncated header: the header length field says " + p.headerLength
				+ " bytes, but only " + Math.max(0, fileSize - p.headerStart) + " follow (version " + p.major + "."
				+ p.minor + " file)");
	}

	private static String notNpy(byte[] first, int have) {
		StringBuilder hex = new StringBuilder();
		for (int i = 0; i < Math.min(have, 8); i++) {
			hex.append(i == 0 ? "" : " ").append(String.format("%02x", first[i] & 0xff));
		}
		String hint;
		if (have >= 2 && first[0] == 'P' && first[1] == 'K') {
			hint = " (a zip archive: an .npz? load it with numpy.load and save each array with numpy.save)";
		} else if (have >= 6 && first[0] == (byte) 0x93 && first[1] == 'N') {
			hint = " (a damaged magic string)";
		} else {
			hint = "";
		}
		return "not an .npy file: it starts with " + hex + " instead of the magic string 93 4e 55 4d 50 59 (\\x93NUMPY)"
				+ hint;
	}

	// ---- the header dict

	private record Dtype(String descr, char kind, int size, ByteOrder order) {
	}

	private record Header(Dtype dtype, boolean fortranOrder, long[] shape) {
	}

	private static Header header(String name, byte[] bytes, int offset, int length, int major)
			throws NpyFormatException {
		String text;
		if (major == 3) {
			try {
				text = StandardCharsets.UTF_8.newDecoder().onMalformedInput(CodingErrorAction.REPORT)
						.onUnmappableCharacter(CodingErrorAction.REPORT)
						.decode(ByteBuffer.wrap(bytes, offset, length)).toString();
			} catch (CharacterCodingException e) {
				throw new NpyFormatException(name, "the header of this version 3.0 file is not valid UTF-8", e);
			}
		} else {
			text = new String(bytes, offset, length, StandardCharsets.ISO_8859_1);
		}
		Object parsed = new Parser(name, text).parseHeader();
		if (!(parsed instanceof Map<?, ?> dict)) {
			throw new NpyFormatException(name,
					"the header is not a dict but " + describe(parsed) + "; it should read {'descr': '<f8', ...}");
		}
		for (String key : List.of("descr", "fortran_order", "shape")) {
			if (!dict.containsKey(key)) {
				List<String> keys = new ArrayList<>();
				for (Object k : dict.keySet()) {
					keys.add(quote((String) k));
				}
				throw new NpyFormatException(name, "the header has no '" + key + "' key (it has " + keys
						+ "; numpy writes 'descr', 'fortran_order' and 'shape')");
			}
		}
		if (dict.size() != 3) {
			for (Object key : dict.keySet()) {
				if (!List.of("descr", "fortran_order", "shape").contains(key)) {
					throw new NpyFormatException(name, "unexpected key " + quote((String) key)
							+ " in the header (numpy writes only 'descr', 'fortran_order' and 'shape')");
				}
			}
		}
		Dtype dtype = dtype(name, dict.get("descr"));
		if (!(dict.get("fortran_order") instanceof Boolean fortran)) {
			throw new NpyFormatException(name,
					"fortran_order is " + describe(dict.get("fortran_order")) + ", expected True or False");
		}
		long[] shape = shape(name, dict.get("shape"));
		return new Header(dtype, fortran, shape);
	}

	private static Dtype dtype(String name, Object descr) throws NpyFormatException {
		if (descr instanceof Seq seq && !seq.tuple) {
			throw new NpyFormatException(name, "descr is a list of fields: structured (record) arrays are not supported;"
					+ " save each field as its own plain float array");
		}
		if (!(descr instanceof String d)) {
			throw new NpyFormatException(name, "descr is " + describe(descr) + ", expected a dtype string like '<f8'");
		}
		if (d.length() == 3 && "<>|".indexOf(d.charAt(0)) >= 0 && d.charAt(2) >= '1' && d.charAt(2) <= '8') {
			char order = d.charAt(0);
			char kind = d.charAt(1);
			int size = d.charAt(2) - '0';
			boolean known = switch (kind) {
			case 'f' -> size == 8 || size == 4;
			case 'i' -> size == 8 || size == 4 || size == 2 || size == 1;
			case 'u' -> size == 4 || size == 2 || size == 1;
			case 'b' -> size == 1;
			default -> false;
			};
			if (known && (order != '|' || size == 1)) {
				return new Dtype(d, kind, size, order == '>' ? ByteOrder.BIG_ENDIAN : ByteOrder.LITTLE_ENDIAN);
			}
		}
		String what = "";
		if (d.length() == 3 && d.charAt(0) == '|' && d.charAt(2) > '1') {
			what = " ('|' means no byte order, which only one-byte types have)";
		} else if (d.startsWith("=")) {
			what = " ('=' is the native byte order, which a file cannot have)";
		} else if (d.matches("[<>|=]?[A-Za-z][0-9]*(\\[[a-z]+\\])?")) {
			char kind = "<>|=".indexOf(d.charAt(0)) >= 0 ? d.charAt(1) : d.charAt(0);
			what = switch (kind) {
			case 'c' -> " (complex numbers; save a.real and a.imag separately)";
			case 'U', 'S', 'a' -> " (strings)";
			case 'O' -> " (Python objects, stored pickled; never loaded here)";
			case 'V' -> " (raw or structured records)";
			case 'M', 'm' -> " (dates or time deltas)";
			case 'f' -> " (a float size other than 4 or 8 bytes)";
			default -> "";
			};
		}
		throw new NpyFormatException(name,
				"unsupported dtype " + quote(d) + what + "; supported: " + SUPPORTED + "; " + CONVERT_HINT);
	}

	private static long[] shape(String name, Object value) throws NpyFormatException {
		if (value instanceof Num n) {
			throw new NpyFormatException(name, "shape is the number " + n.text + ", not a tuple (a 1-D shape is written ("
					+ n.text + ",))");
		}
		if (!(value instanceof Seq seq) || !seq.tuple) {
			throw new NpyFormatException(name, "shape is " + describe(value) + ", expected a tuple of integers like (3, 2)");
		}
		StringBuilder text = new StringBuilder("(");
		for (int i = 0; i < seq.items.size(); i++) {
			Object item = seq.items.get(i);
			if (!(item instanceof Num n)) {
				throw new NpyFormatException(name, "shape has " + describe(item) + " where an integer should be");
			}
			text.append(i == 0 ? "" : ", ").append(n.text);
		}
		String shapeText = text.append(seq.items.size() == 1 ? ",)" : ")").toString();
		if (seq.items.size() > 2) {
			throw new NpyFormatException(name, seq.items.size() + "-D arrays are not supported (shape " + shapeText
					+ "); reshape to 2-D in numpy first, e.g. np.save(path, a.reshape(a.shape[0], -1))");
		}
		long[] shape = new long[seq.items.size()];
		for (int i = 0; i < shape.length; i++) {
			Num n = (Num) seq.items.get(i);
			if (n.negative) { // even -0, which numpy never writes
				throw new NpyFormatException(name, "negative dimension " + n.text + " in shape " + shapeText
						+ ": the header is corrupt");
			}
			if (n.value < 0) { // overflowed while parsing
				throw new NpyFormatException(name, "absurd dimension " + n.text + " in shape " + shapeText
						+ ": the header is corrupt");
			}
			shape[i] = n.value;
		}
		return shape;
	}

	/**
	 * Checks that the {@code available} bytes after the header are exactly the
	 * data the shape and dtype need, and that a Java array can hold them; only
	 * then may the caller allocate. Returns the number of values.
	 */
	private static int checkData(String name, Header h, long available) throws NpyFormatException {
		String shapeText = NpyArray.shapeText(h.shape);
		long count = 1;
		boolean overflow = false;
		for (long d : h.shape) {
			if (d != 0 && count > Long.MAX_VALUE / d) {
				overflow = true;
			}
			count *= d;
		}
		for (long d : h.shape) {
			if (d == 0) { // an empty array, whatever the other dimension says
				overflow = false;
				count = 0;
			}
		}
		if (overflow || count > Long.MAX_VALUE / h.dtype.size) {
			throw new NpyFormatException(name, "shape " + shapeText + " of '" + h.dtype.descr
					+ "' describes more than 2^63 bytes of data: the header is corrupt");
		}
		long expected = count * h.dtype.size;
		if (available < expected) {
			throw new NpyFormatException(name, "truncated: expected " + expected + " bytes of data for shape "
					+ shapeText + " of '" + h.dtype.descr + "', found " + available);
		}
		if (available > expected) {
			throw trailing(name, h, expected, available);
		}
		for (long d : h.shape) {
			if (d > Integer.MAX_VALUE) {
				throw new NpyFormatException(name, "dimension " + d + " in shape " + shapeText
						+ " is larger than a Java array can hold (" + Integer.MAX_VALUE + ")");
			}
		}
		if (count > MAX_ARRAY) {
			throw new NpyFormatException(name, "shape " + shapeText + " has " + count
					+ " values, more than a Java array holds (" + MAX_ARRAY + "); store it in smaller chunks");
		}
		return (int) count;
	}

	private static NpyFormatException trailing(String name, Header h, long expected, long available) {
		return new NpyFormatException(name, (available - expected) + " trailing bytes: shape "
				+ NpyArray.shapeText(h.shape) + " of '" + h.dtype.descr + "' needs " + expected
				+ " bytes of data, found " + available + "; the file is not what its header says"
				+ " (a corrupt header, or more than one array written to the same file?)");
	}

	// ---- the data

	/** Where decoded values go: row-major, transposing a Fortran-order 2-D array on the way. */
	private static final class Sink {
		final double[] out;
		final boolean transpose;
		final int rows;
		final int columns;
		int k;
		int r;
		int c;

		Sink(Header h, int count) {
			out = new double[count];
			transpose = h.fortranOrder && h.shape.length == 2;
			rows = h.shape.length == 2 ? (int) h.shape[0] : 1;
			columns = h.shape.length == 2 ? (int) h.shape[1] : 1;
		}

		void put(double v) {
			if (!transpose) {
				out[k++] = v;
				return;
			}
			out[r * columns + c] = v; // r * columns + c < rows * columns <= MAX_ARRAY
			if (++r == rows) {
				r = 0;
				c++;
			}
		}
	}

	/** Decodes every whole value left in {@code src} (whose byte order is set) into {@code sink}. */
	private static void decode(Dtype t, ByteBuffer src, Sink sink) {
		int n = src.remaining() / t.size;
		if (!sink.transpose && t.kind == 'f' && t.size == 8) {
			src.asDoubleBuffer().get(sink.out, sink.k, n);
			src.position(src.position() + 8 * n);
			sink.k += n;
			return;
		}
		switch (t.kind) {
		case 'f' -> {
			if (t.size == 8) {
				while (n-- > 0) {
					sink.put(src.getDouble());
				}
			} else {
				while (n-- > 0) {
					sink.put(src.getFloat());
				}
			}
		}
		case 'i' -> {
			switch (t.size) {
			case 8 -> {
				while (n-- > 0) {
					sink.put(src.getLong());
				}
			}
			case 4 -> {
				while (n-- > 0) {
					sink.put(src.getInt());
				}
			}
			case 2 -> {
				while (n-- > 0) {
					sink.put(src.getShort());
				}
			}
			default -> {
				while (n-- > 0) {
					sink.put(src.get());
				}
			}
			}
		}
		case 'u' -> {
			switch (t.size) {
			case 4 -> {
				while (n-- > 0) {
					sink.put(src.getInt() & 0xffffffffL);
				}
			}
			case 2 -> {
				while (n-- > 0) {
					sink.put(src.getShort() & 0xffff);
				}
			}
			default -> {
				while (n-- > 0) {
					sink.put(src.get() & 0xff);
				}
			}
			}
		}
		default -> { // 'b': numpy reads any non-zero byte as True
			while (n-- > 0) {
				sink.put(src.get() != 0 ? 1 : 0);
			}
		}
		}
	}

	// ---- a parser for the Python literal the header is

	/** A decimal integer literal; {@code value} is -1 if it does not fit in a long. */
	private record Num(String text, boolean negative, long value) {
	}

	/** A tuple or a list literal. */
	private record Seq(boolean tuple, List<Object> items) {
	}

	private static final Object NONE = new Object() {
		@Override
		public String toString() {
			return "None";
		}
	};

	private static String describe(Object value) {
		if (value instanceof String s) {
			return "the string " + quote(s);
		}
		if (value instanceof Num n) {
			return "the number " + n.text;
		}
		if (value instanceof Boolean b) {
			return b ? "True" : "False";
		}
		if (value instanceof Seq s) {
			return (s.tuple ? "a tuple" : "a list") + " of " + s.items.size();
		}
		if (value instanceof Map<?, ?>) {
			return "a dict";
		}
		return "None";
	}

	/** {@code s} in single quotes, shortened, with control and non-ASCII characters escaped. */
	private static String quote(String s) {
		StringBuilder b = new StringBuilder("'");
		for (int i = 0; i < s.length(); i++) {
			if (i == 40) {
				b.append("...");
				break;
			}
			char c = s.charAt(i);
			if (c >= 0x20 && c < 0x7f) {
				b.append(c);
			} else {
				b.append(String.format(c < 0x100 ? "\\x%02x" : "\\u%04x", (int) c));
			}
		}
		return b.append('\'').toString();
	}

	private static final class Parser {
		private final String name;
		private final String s;
		private int pos;
		private int depth;

		Parser(String name, String s) {
			this.name = name;
			this.s = s;
		}

		Object parseHeader() throws NpyFormatException {
			skipSpace();
			if (pos == s.length()) {
				throw error("the header is empty (only spaces); it should read {'descr': '<f8', ...}");
			}
			Object value = value();
			skipSpace();
			if (pos < s.length()) {
				throw error("unexpected text after the header dict at offset " + pos + ": "
						+ quote(s.substring(pos, Math.min(s.length(), pos + 20))));
			}
			return value;
		}

		private NpyFormatException error(String problem) {
			return new NpyFormatException(name, problem);
		}

		private NpyFormatException unexpected(String expected) {
			if (pos >= s.length()) {
				return error("the header ends where " + expected + " should be; the header is cut short or corrupt");
			}
			return error("unparseable header: " + quote(s.substring(pos, pos + 1)) + " at offset " + pos + " where "
					+ expected + " should be, in " + quote(s.substring(0, Math.min(s.length(), 80)).strip()));
		}

		/** Python's whitespace between tokens: space, tab, form feed and (inside brackets) line ends. */
		private void skipSpace() {
			while (pos < s.length()) {
				char c = s.charAt(pos);
				if (c != ' ' && c != '\t' && c != '\f' && c != '\n' && c != '\r') {
					return;
				}
				pos++;
			}
		}

		private boolean at(char c) {
			skipSpace();
			return pos < s.length() && s.charAt(pos) == c;
		}

		private Object value() throws NpyFormatException {
			skipSpace();
			if (pos >= s.length()) {
				throw unexpected("a value");
			}
			char c = s.charAt(pos);
			if (c == '{' || c == '(' || c == '[') {
				if (++depth > MAX_NESTING) {
					throw error("the header nests brackets more than " + MAX_NESTING + " deep: it is corrupt");
				}
				Object v = c == '{' ? dict() : seq(c == '(');
				depth--;
				return v;
			}
			if (c == '\'' || c == '"') {
				return string(c);
			}
			if (c >= '0' && c <= '9' || c == '-' || c == '+') {
				return number();
			}
			if (Character.isLetter(c) || c == '_') {
				int start = pos;
				while (pos < s.length() && (Character.isLetterOrDigit(s.charAt(pos)) || s.charAt(pos) == '_')) {
					pos++;
				}
				String word = s.substring(start, pos);
				switch (word) {
				case "True":
					return Boolean.TRUE;
				case "False":
					return Boolean.FALSE;
				case "None":
					return NONE;
				default:
					pos = start;
					throw error("unparseable header: unexpected name " + quote(word) + " at offset " + start
							+ " (only strings, integers, True, False and None are allowed)");
				}
			}
			throw unexpected("a value");
		}

		private Map<String, Object> dict() throws NpyFormatException {
			pos++; // '{'
			Map<String, Object> map = new LinkedHashMap<>();
			while (!at('}')) {
				int keyAt = pos;
				Object key = value();
				if (!(key instanceof String k)) {
					throw error("a header dict key is " + describe(key) + " (at offset " + keyAt
							+ "), expected a string like 'shape'");
				}
				if (!at(':')) {
					throw unexpected("':'");
				}
				pos++;
				Object v = value();
				if (map.put(k, v) != null) {
					throw error("the header has the key " + quote(k) + " twice");
				}
				if (at(',')) {
					pos++;
				} else if (!at('}')) {
					throw unexpected("',' or '}'");
				}
			}
			pos++; // '}'
			return map;
		}

		/** A tuple, a list, or a parenthesised value ({@code (3)} is the number 3, as in Python). */
		private Object seq(boolean tuple) throws NpyFormatException {
			char close = tuple ? ')' : ']';
			pos++; // '(' or '['
			List<Object> items = new ArrayList<>();
			boolean comma = false;
			while (!at(close)) {
				items.add(value());
				if (at(',')) {
					pos++;
					comma = true;
				} else if (!at(close)) {
					throw unexpected("',' or '" + close + "'");
				}
			}
			pos++;
			if (tuple && items.size() == 1 && !comma) {
				return items.get(0);
			}
			return new Seq(tuple, items);
		}

		private String string(char quote) throws NpyFormatException {
			int start = ++pos;
			while (pos < s.length() && s.charAt(pos) != quote) {
				char c = s.charAt(pos);
				if (c == '\\') {
					throw error("escape sequences in header strings are not supported (offset " + pos + ")");
				}
				if (c == '\n' || c == '\r') {
					break;
				}
				pos++;
			}
			if (pos >= s.length() || s.charAt(pos) != quote) {
				throw error("unterminated string starting at offset " + (start - 1) + " in the header");
			}
			return s.substring(start, pos++);
		}

		private Num number() throws NpyFormatException {
			int start = pos;
			boolean negative = false;
			if (s.charAt(pos) == '-' || s.charAt(pos) == '+') {
				negative = s.charAt(pos) == '-';
				pos++;
				skipSpace();
			}
			int digits = pos;
			long value = 0;
			while (pos < s.length() && s.charAt(pos) >= '0' && s.charAt(pos) <= '9') {
				int d = s.charAt(pos) - '0';
				value = value < 0 || value > (Long.MAX_VALUE - d) / 10 ? -1 : value * 10 + d;
				pos++;
			}
			if (pos == digits) {
				throw unexpected("a digit");
			}
			if (pos < s.length() && (Character.isLetterOrDigit(s.charAt(pos)) || s.charAt(pos) == '_'
					|| s.charAt(pos) == '.')) {
				throw error("unparseable header: the number at offset " + start + " is not a plain decimal integer: "
						+ quote(s.substring(start, Math.min(s.length(), pos + 5))));
			}
			if (pos - digits > 1 && s.charAt(digits) == '0') {
				throw error("unparseable header: the number " + quote(s.substring(start, pos)) + " at offset " + start
						+ " has a leading zero");
			}
			String text = s.substring(start, pos).replaceAll("\\s+", "");
			if (s.charAt(start) == '+') {
				throw error("unparseable header: signed number " + quote(text) + " at offset " + start
						+ " (numpy writes plain integers)");
			}
			return new Num(text, negative, value);
		}
	}
}
