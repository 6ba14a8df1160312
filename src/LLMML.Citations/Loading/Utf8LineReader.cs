namespace LLMML.Citations.Loading;

/// <summary>
/// Reads a stream as UTF-8 lines without decoding them to strings, so a multi-gigabyte JSONL dump is
/// parsed line by line with a buffer as large as its longest line — which is capped: a file that is one
/// gigabyte-long line is refused with its name and line number instead of exhausting memory.
/// </summary>
internal sealed class Utf8LineReader(Stream stream, string sourceName, int initialBuffer = 1 << 16, int maxLineBytes = CitationLoadOptions.DefaultMaxLineBytes)
{

    private byte[] _buffer = new byte[Math.Min(initialBuffer, maxLineBytes + 1)];
    private int _start, _end;
    private bool _eof;

    /// <summary>1-based number of the line last returned.</summary>
    public long LineNumber { get; private set; }

    /// <summary>The next line without its terminator (valid until the next call), or false at the end.</summary>
    /// <exception cref="InvalidDataException">A line is longer than the cap.</exception>
    public bool TryReadLine(out ReadOnlyMemory<byte> line)
    {
        int scanFrom = _start;
        while (true)
        {
            int nl = Array.IndexOf(_buffer, (byte)'\n', scanFrom, _end - scanFrom);
            if (nl >= 0)
            {
                line = Trim(_start, nl);
                _start = nl + 1;
                LineNumber++;
                return true;
            }
            if (_eof)
            {
                if (_start < _end)
                {
                    line = Trim(_start, _end);
                    _start = _end;
                    LineNumber++;
                    return true;
                }
                line = default;
                return false;
            }
            scanFrom = _end - _start;
            Fill();
        }
    }

    private ReadOnlyMemory<byte> Trim(int from, int to)
    {
        if (to > from && _buffer[to - 1] == '\r') to--;
        // A UTF-8 byte-order mark may open the file.
        if (LineNumber == 0 && to - from >= 3 && _buffer[from] == 0xEF && _buffer[from + 1] == 0xBB && _buffer[from + 2] == 0xBF) from += 3;
        return _buffer.AsMemory(from, to - from);
    }

    private void Fill()
    {
        if (_start > 0)
        {
            Buffer.BlockCopy(_buffer, _start, _buffer, 0, _end - _start);
            _end -= _start;
            _start = 0;
        }
        if (_end == _buffer.Length)
        {
            // The buffer holds one unfinished line: grow it, but never past the cap (+1 byte to see the terminator).
            if (_end > maxLineBytes)
                throw new InvalidDataException(
                    $"{sourceName}: line {LineNumber + 1} is longer than {maxLineBytes:N0} bytes (the line-length limit); is this one record per line?");
            Array.Resize(ref _buffer, (int)Math.Min((long)_buffer.Length * 2, (long)maxLineBytes + 1));
        }
        int read = stream.Read(_buffer, _end, _buffer.Length - _end);
        if (read == 0) _eof = true;
        _end += read;
    }
}
