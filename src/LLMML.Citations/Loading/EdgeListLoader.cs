using System.Buffers.Text;
using System.Globalization;
using System.Text;
using LLMML.Citations.Graphs;
using LLMML.Foundation.Persistence;
using LLMML.Foundation.Progress;

namespace LLMML.Citations.Loading;

/// <summary>
/// A plain-text edge list: one citation per line, <c>citing cited</c> separated by spaces or a tab, lines starting
/// with <c>#</c> ignored — the format igraph's <c>Read_Edgelist</c>, SNAP and most graph tools read and write. Integer
/// ids stay integers (no string a paper); any other token is taken as a string id.
/// </summary>
/// <remarks>
/// Parsing runs in parallel: the file is read in blocks cut at line ends, each core parses whole blocks into id pairs,
/// and the blocks are handed to the graph builder in file order (so indices and diagnostics are those of a sequential
/// read). Memory is the builder's 8 bytes an edge plus a few blocks in flight.
/// </remarks>
public static class EdgeListLoader
{
    /// <summary>Bytes read per block (tests make it small to cross many block boundaries).</summary>
    internal static int BlockBytes { get; set; } = 8 << 20;

    /// <summary>Loads the edge list at <paramref name="path"/>.</summary>
    /// <exception cref="InvalidDataException">A line longer than a block (8 MiB): not an edge list; the message names the file and line.</exception>
    public static GraphLoadResult Load(string path, IProgress<ProgressUpdate>? progress = null, CancellationToken cancellationToken = default)
    {
        var builder = new CitationGraphBuilder();
        var diagnostics = new LoadDiagnostics();
        using var stream = new FileStream(path, FileMode.Open, FileAccess.Read, FileShare.Read, 1 << 16, FileOptions.SequentialScan);
        long length = stream.Length, done = 0, line = 0;
        int workers = Math.Max(1, Environment.ProcessorCount);
        var carry = Array.Empty<byte>();
        bool end = false;
        while (!end)
        {
            cancellationToken.ThrowIfCancellationRequested();
            // Read up to `workers` blocks, each ending at a line end (the tail goes to the next round).
            var blocks = new List<byte[]>();
            for (int b = 0; b < workers && !end; b++)
            {
                var buffer = new byte[BlockBytes];
                carry.CopyTo(buffer, 0);
                int filled = carry.Length, read;
                while (filled < buffer.Length && (read = stream.Read(buffer, filled, buffer.Length - filled)) > 0) filled += read;
                end = filled < buffer.Length;
                int cut = end ? filled : Array.LastIndexOf(buffer, (byte)'\n', filled - 1) + 1;
                if (cut == 0) throw new InvalidDataException($"{path}: line {line + 1 + blocks.Sum(Lines)}: longer than {BlockBytes} bytes; not an edge list.");
                carry = buffer.AsSpan(cut, filled - cut).ToArray();
                Array.Resize(ref buffer, cut);
                blocks.Add(buffer);
            }
            var parsed = new Block[blocks.Count];
            Parallel.For(0, blocks.Count, new ParallelOptions { MaxDegreeOfParallelism = workers, CancellationToken = cancellationToken },
                b => parsed[b] = Parse(blocks[b]));
            foreach (var block in parsed)
            {
                builder.EnsureEdgeCapacity(builder.EdgesAdded + block.Count);
                for (int i = 0; i < block.Count; i++)
                {
                    int s = block.SourceText?[i] is { } st ? builder.Paper(st) : builder.Paper(block.Sources[i]);
                    int d = block.TargetText?[i] is { } dt ? builder.Paper(dt) : builder.Paper(block.Targets[i]);
                    builder.AddCitation(s, d);
                }
                diagnostics.Records += block.Count;
                diagnostics.BlankLines += block.Blank;
                foreach (var (offset, message) in block.Malformed) diagnostics.Report(line + offset, message);
                line += block.Lines;
                done += block.Bytes;
            }
            // Size the edge buffers once from the bytes an edge took so far, instead of doubling (2× the 8 bytes an edge at the copy).
            if (done > 0 && !end) builder.EnsureEdgeCapacity((int)Math.Min(Array.MaxLength, builder.EdgesAdded * ((double)length / done) * 1.02));
            progress?.Report(new ProgressUpdate("load edges", done, length));
        }
        progress?.Report(new ProgressUpdate("build graph", 0));
        var graph = builder.Build();
        diagnostics.SelfCitations = builder.SelfCitations;
        diagnostics.DuplicateEdges = builder.DuplicateEdges;
        return new GraphLoadResult(graph, diagnostics);
    }

    /// <summary>
    /// Writes every edge of <paramref name="graph"/> as <c>citing cited</c> lines, atomically: of paper ids (which must
    /// not contain white space), or with <paramref name="indices"/> of the papers' indices 0..n−1 (what igraph's
    /// <c>Read_Edgelist</c> takes as vertex ids).
    /// </summary>
    public static void Write(CitationGraph graph, string path, bool indices = false)
    {
        AtomicFile.Write(path, stream =>
        {
            using var writer = new StreamWriter(stream, new UTF8Encoding(false), 1 << 20, leaveOpen: true);
            writer.NewLine = "\n";
            for (int u = 0; u < graph.NodeCount; u++)
                foreach (var v in graph.ReferencesOf(u))
                {
                    if (indices)
                    {
                        writer.Write(u);
                        writer.Write(' ');
                        writer.WriteLine(v);
                        continue;
                    }
                    writer.Write(graph.PaperIds[u]);
                    writer.Write(' ');
                    writer.WriteLine(graph.PaperIds[v]);
                }
        });
    }

    private static int Lines(byte[] block) => block.AsSpan().Count((byte)'\n');

    private sealed class Block
    {
        public long[] Sources = [], Targets = [];
        public string?[]? SourceText, TargetText; // only when a token was not an integer
        public int Count, Blank, Lines, Bytes;
        public List<(int Line, string Message)> Malformed = [];
    }

    private static Block Parse(byte[] data)
    {
        var block = new Block { Bytes = data.Length };
        int capacity = Math.Max(16, data.Length / 8);
        block.Sources = new long[capacity];
        block.Targets = new long[capacity];
        var span = data.AsSpan();
        int lineNo = 0;
        while (!span.IsEmpty)
        {
            int nl = span.IndexOf((byte)'\n');
            var text = nl < 0 ? span : span[..nl];
            span = nl < 0 ? [] : span[(nl + 1)..];
            lineNo++;
            if (!text.IsEmpty && text[^1] == '\r') text = text[..^1];
            text = text.Trim(" \t"u8);
            if (text.IsEmpty) { block.Blank++; continue; }
            if (text[0] == '#') continue;
            int gap = text.IndexOfAny(" \t"u8);
            var first = gap < 0 ? text : text[..gap];
            var second = gap < 0 ? [] : text[gap..].TrimStart(" \t"u8);
            if (second.IsEmpty || second.IndexOfAny(" \t"u8) >= 0)
            {
                int fields = gap < 0 ? 1 : 2 + (second.IsEmpty ? -1 : second.IndexOfAny(" \t"u8) >= 0 ? 1 : 0);
                block.Malformed.Add((lineNo, $"expected 'citing cited', found {(fields > 2 ? "more than 2" : fields.ToString(CultureInfo.InvariantCulture))} field(s)"));
                continue;
            }
            if (block.Count == block.Sources.Length)
            {
                Array.Resize(ref block.Sources, block.Count * 2);
                Array.Resize(ref block.Targets, block.Count * 2);
                if (block.SourceText is not null) { Array.Resize(ref block.SourceText, block.Count * 2); Array.Resize(ref block.TargetText, block.Count * 2); }
            }
            bool numeric = Integer(first, out block.Sources[block.Count]) & Integer(second, out block.Targets[block.Count]);
            if (!numeric)
            {
                block.SourceText ??= new string?[block.Sources.Length];
                block.TargetText ??= new string?[block.Sources.Length];
                // Both as strings: "7" as text and 7 as a number must name the same paper, and the builder spells numbers the same way.
                block.SourceText[block.Count] = Encoding.UTF8.GetString(first);
                block.TargetText[block.Count] = Encoding.UTF8.GetString(second);
            }
            block.Count++;
        }
        block.Lines = lineNo;
        return block;
    }

    // Only the canonical spelling counts as a number ("007" is a string id, as it would be anywhere else).
    private static bool Integer(ReadOnlySpan<byte> token, out long value) =>
        Utf8Parser.TryParse(token, out value, out int used) && used == token.Length
        && (token[0] != '0' || token.Length == 1) && !(token[0] == '-' && (token.Length == 1 || token[1] == '0'))
        && token[0] != '+';
}
