using LLMML.Citations.Features;
using LLMML.Citations.Graphs;
using LLMML.Citations.Loading;
using LLMML.Foundation.Persistence;
using LLMML.Foundation.Progress;
using Parquet;
using Parquet.Schema;

namespace LLMML.Citations.Interchange;

/// <summary>
/// Citation graphs and their features as Parquet, the columnar format DuckDB, Spark (GraphFrames), pandas and polars
/// read directly. Two files, named as GraphFrames names them: a <b>vertex</b> file (<c>id</c>, <c>year</c>,
/// <c>field</c>, then one <c>double</c> column per feature) and an <b>edge</b> file (<c>src</c> cites <c>dst</c>, with
/// the citation's annotations). Schema: docs/citations.md. Written atomically, in row groups of
/// <see cref="RowGroupSize"/> rows so readers can stream them.
/// </summary>
public static class CitationParquet
{
    /// <summary>Rows per row group.</summary>
    public const int RowGroupSize = 1 << 20;

    /// <summary>Edge columns: citing paper, cited paper.</summary>
    public const string Source = "src", Destination = "dst";

    /// <summary>Vertex columns before the features.</summary>
    public const string Id = "id", Year = "year", Field = "field";

    /// <summary>Edge annotation columns (null when the source did not annotate the citation).</summary>
    public static readonly string[] EdgeAnnotations = ["influential", "background", "methodology", "result"];

    private static readonly EdgeFlags[] AnnotationFlags = [EdgeFlags.Influential, EdgeFlags.Background, EdgeFlags.Methodology, EdgeFlags.Result];

    /// <summary>
    /// Writes the vertex file: every paper with its year and field (null when unknown) and each feature (null when
    /// undefined, e.g. a citation share of an uncited paper).
    /// </summary>
    public static void WriteVertices(PaperFeatures features, string path, CancellationToken cancellationToken = default) =>
        WriteVertices(features.Graph, features.Names, features.Columns, path, cancellationToken);

    /// <summary>Writes the vertex file of a graph without features.</summary>
    public static void WriteVertices(CitationGraph graph, string path, CancellationToken cancellationToken = default) =>
        WriteVertices(graph, [], [], path, cancellationToken);

    // Feature values are read a row group at a time: derived columns are computed for those rows only.
    private static void WriteVertices(CitationGraph graph, IReadOnlyList<string> names, FeatureColumn[] columns, string path, CancellationToken ct)
    {
        // Ids are strings even when the source gave integers: the GraphFrames hand-off joins them with the edge file's.
        var id = new DataField<string>(Id, nullable: false);
        var year = new DataField<int?>(Year);
        var field = new DataField<string>(Field, nullable: true);
        var featureFields = names.Select(n => new DataField<double?>(n)).ToArray();
        var schema = new ParquetSchema([id, year, field, .. featureFields]);
        AtomicFile.Write(path, stream => Run(async () =>
        {
            await using var writer = await ParquetWriter.CreateAsync(schema, stream, cancellationToken: ct);
            // One set of buffers for every row group and column: no per-column garbage at scale.
            int size = Math.Min(RowGroupSize, Math.Max(1, graph.NodeCount));
            var raw = new double[size];
            var values = new double?[size];
            var years = new int?[size];
            var fieldNames = new string?[size];
            var ids = new string[size];
            foreach (var (from, count) in Groups(graph.NodeCount))
            {
                ct.ThrowIfCancellationRequested();
                using var group = writer.CreateRowGroup();
                for (int i = 0; i < count; i++) { ids[i] = graph.PaperIds[from + i]; years[i] = graph.YearOf(from + i); fieldNames[i] = graph.FieldNameOf(from + i); }
                await group.WriteAsync(id, new ArraySegment<string>(ids, 0, count));
                await group.WriteAsync<int>(year, years.AsMemory(0, count), cancellationToken: ct);
                await group.WriteAsync(field, new ArraySegment<string?>(fieldNames, 0, count)!);
                for (int f = 0; f < featureFields.Length; f++)
                {
                    columns[f].Fill(from, raw.AsSpan(0, count));
                    for (int i = 0; i < count; i++) values[i] = double.IsNaN(raw[i]) ? null : raw[i];
                    await group.WriteAsync<double>(featureFields[f], values.AsMemory(0, count), cancellationToken: ct);
                }
            }
        }));
    }

    /// <summary>Writes the edge file: one row per citation, <c>src</c> (citing) → <c>dst</c> (cited), with its annotations.</summary>
    public static void WriteEdges(CitationGraph graph, string path, CancellationToken cancellationToken = default)
    {
        var src = new DataField<string>(Source, nullable: false);
        var dst = new DataField<string>(Destination, nullable: false);
        var annotations = EdgeAnnotations.Select(n => new DataField<bool?>(n)).ToArray();
        var schema = new ParquetSchema([src, dst, .. annotations]);
        var citing = new int[graph.EdgeCount];
        for (int u = 0; u < graph.NodeCount; u++) Array.Fill(citing, u, graph._refOffsets[u], graph.ReferenceCount(u));
        AtomicFile.Write(path, stream => Run(async () =>
        {
            await using var writer = await ParquetWriter.CreateAsync(schema, stream, cancellationToken: cancellationToken);
            foreach (var (from, count) in Groups(graph.EdgeCount))
            {
                cancellationToken.ThrowIfCancellationRequested();
                using var group = writer.CreateRowGroup();
                await group.WriteAsync(src, Enumerable.Range(from, count).Select(e => graph.PaperIds[citing[e]]).ToArray());
                await group.WriteAsync(dst, Enumerable.Range(from, count).Select(e => graph.PaperIds[graph._refTargets[e]]).ToArray());
                for (int a = 0; a < annotations.Length; a++)
                {
                    var values = new bool?[count];
                    for (int i = 0; i < count; i++)
                    {
                        var flags = graph.ReferenceFlag(from + i);
                        values[i] = (flags & EdgeFlags.Annotated) == 0 ? null : (flags & AnnotationFlags[a]) != 0;
                    }
                    await group.WriteAsync<bool>(annotations[a], values.AsMemory(), cancellationToken: cancellationToken);
                }
            }
        }));
    }

    /// <summary>
    /// Reads an edge file (<c>src</c>, <c>dst</c> as strings or integers; the annotation columns when present) and,
    /// when given, a vertex file for years and fields (and papers nobody links).
    /// </summary>
    /// <exception cref="InvalidDataException">A file is not Parquet or lacks a required column; the message names the file.</exception>
    /// <param name="progress">Stages "load vertices", "load edges" (rows so far of all) and "build graph".</param>
    public static GraphLoadResult ReadGraph(string edgesPath, string? verticesPath = null, CancellationToken cancellationToken = default,
        IProgress<ProgressUpdate>? progress = null)
    {
        var builder = new CitationGraphBuilder();
        var diagnostics = new LoadDiagnostics();
        // Integer ids (OpenAlex-scale edge lists) stay integers: no edge, and no paper, allocates a string.
        int Paper(Array column, int i) => column switch
        {
            long[] numbers => builder.Paper(numbers[i]),
            long?[] numbers => numbers[i] is { } number ? builder.Paper(number) : -1,
            _ => ((string?[])column)[i] is { Length: > 0 } id ? builder.Paper(id) : -1,
        };
        if (verticesPath is not null)
        {
            progress?.Report(new ProgressUpdate("load vertices", 0));
            builder.EnsurePaperCapacity(checked((int)Rows(verticesPath)));
            Read(verticesPath, [Id], [Year, Field], (columns, count) =>
            {
                var ids = Ids(columns[Id]!, verticesPath, Id);
                var years = columns[Year] is { } y ? Integers(y) : null;
                var fields = columns[Field] as string?[];
                for (int i = 0; i < count; i++)
                {
                    diagnostics.Records++;
                    int p = Paper(ids, i);
                    if (p < 0) { diagnostics.Report(diagnostics.Records, $"{Id} is empty"); continue; }
                    builder.SetYear(p, years?[i] is { } year && year is >= int.MinValue and <= int.MaxValue ? (int)year : null);
                    builder.SetField(p, fields?[i]);
                }
            }, cancellationToken);
        }
        // The edge count is in the footer: the edge buffers are allocated once, at their final size.
        long edgeRows = Rows(edgesPath);
        builder.EnsureEdgeCapacity(checked((int)Math.Min(Array.MaxLength, edgeRows)));
        progress?.Report(new ProgressUpdate("load edges", 0, edgeRows));
        Read(edgesPath, [Source, Destination], EdgeAnnotations, (columns, count) =>
        {
            var src = Ids(columns[Source]!, edgesPath, Source);
            var dst = Ids(columns[Destination]!, edgesPath, Destination);
            var flags = EdgeAnnotations.Select(n => columns[n] as bool?[]).ToArray();
            bool annotated = Array.Exists(flags, f => f is not null);
            builder.EnsureEdgeCapacity(builder.EdgesAdded + count);
            progress?.Report(new ProgressUpdate("load edges", diagnostics.Records, edgeRows));
            if (src is long[] s64 && dst is long[] d64 && !annotated)
            {
                // The common OpenAlex-scale case, without the per-edge type tests and annotation loop.
                for (int i = 0; i < count; i++) builder.AddCitation(builder.Paper(s64[i]), builder.Paper(d64[i]));
                diagnostics.Records += count;
                return;
            }
            for (int i = 0; i < count; i++)
            {
                diagnostics.Records++;
                int s = Paper(src, i), d = Paper(dst, i);
                if (s < 0 || d < 0) { diagnostics.UnresolvedLinks++; continue; }
                var f = EdgeFlags.None;
                for (int a = 0; a < flags.Length; a++)
                    if (flags[a]?[i] is { } value) f |= EdgeFlags.Annotated | (value ? AnnotationFlags[a] : EdgeFlags.None);
                builder.AddCitation(s, d, f);
            }
        }, cancellationToken);
        progress?.Report(new ProgressUpdate("build graph", 0));
        var graph = builder.Build();
        diagnostics.SelfCitations = builder.SelfCitations;
        diagnostics.DuplicateEdges = builder.DuplicateEdges;
        return new GraphLoadResult(graph, diagnostics);
    }

    // Reads the named columns of every row group (optional ones as null when absent) and hands them over group by group.
    private static void Read(string path, string[] required, string[] optional, Action<Dictionary<string, Array?>, int> onGroup, CancellationToken ct) => Run(async () =>
    {
        await using var stream = File.OpenRead(path);
        ParquetReader reader;
        try { reader = await ParquetReader.CreateAsync(stream, cancellationToken: ct); }
        catch (Exception e) when (e is IOException or InvalidDataException or NotSupportedException)
        {
            throw new InvalidDataException($"{path}: not a readable Parquet file: {e.Message}", e);
        }
        await using (reader)
        {
            var fields = reader.Schema.GetDataFields().ToDictionary(f => f.Name, StringComparer.Ordinal);
            foreach (var name in required)
                if (!fields.ContainsKey(name))
                    throw new InvalidDataException($"{path}: column '{name}' is missing (has {string.Join(", ", fields.Keys)}).");
            // Required integer columns are read into the same arrays group after group (a row group's ids are dead once handed over).
            var buffers = new Dictionary<string, Array>(StringComparer.Ordinal);
            for (int g = 0; g < reader.RowGroupCount; g++)
            {
                ct.ThrowIfCancellationRequested();
                using var group = reader.OpenRowGroupReader(g);
                int count = checked((int)group.RowCount);
                var columns = new Dictionary<string, Array?>(StringComparer.Ordinal);
                foreach (var name in required.Concat(optional))
                    columns[name] = fields.TryGetValue(name, out var field) ? await ReadColumn(group, field, count, path, buffers, ct) : null;
                onGroup(columns, count);
            }
        }
    });

    private static async Task<Array> ReadColumn(ParquetRowGroupReader group, DataField field, int count, string path, Dictionary<string, Array> buffers, CancellationToken ct)
    {
        var type = Nullable.GetUnderlyingType(field.ClrType) ?? field.ClrType;
        if (type == typeof(string) || type == typeof(ReadOnlyMemory<char>)) { var v = new string?[count]; await group.ReadAsync(field, v.AsMemory()!, cancellationToken: ct); return v; }
        if (type == typeof(long)) return field.MaxDefinitionLevel == 0 ? await ReadRequired<long>(group, field, count, buffers, ct) : await ReadValues<long>(group, field, count, ct);
        if (type == typeof(int)) return field.MaxDefinitionLevel == 0 ? await ReadRequired<int>(group, field, count, buffers, ct) : await ReadValues<int>(group, field, count, ct);
        if (type == typeof(bool)) return await ReadValues<bool>(group, field, count, ct);
        throw new InvalidDataException($"{path}: column '{field.Name}' is {type.Name}; expected strings, integers or booleans.");
    }

    // A column's values as nullables. A required column (no definition levels) must not go through Parquet.Net's
    // Memory<T?> overload: in 6.1 it rents its definition-level buffer from ArrayPool<int>.Shared without clearing it,
    // and for a required column nothing is ever written there, so whatever another reader left in the pooled array
    // (a negative int) turns values into nulls and shifts the rest, depending on what ran on the pool before.
    private static async Task<T?[]> ReadValues<T>(ParquetRowGroupReader group, DataField field, int count, CancellationToken ct) where T : struct
    {
        var result = new T?[count];
        if (field.MaxDefinitionLevel > 0)
        {
            await group.ReadAsync<T>(field, result.AsMemory(), cancellationToken: ct);
            return result;
        }
        var values = new T[count];
        await group.ReadAsync<T>(field, values.AsMemory(), cancellationToken: ct);
        for (int i = 0; i < count; i++) result[i] = values[i];
        return result;
    }

    // A required column's values as they are: no nullable copy (ids of OpenAlex-scale edge lists).
    private static async Task<T[]> ReadRequired<T>(ParquetRowGroupReader group, DataField field, int count, Dictionary<string, Array> buffers, CancellationToken ct) where T : struct
    {
        // Exactly count long: the callers read whole arrays. Row groups but the last have the same size, so this reuses.
        if (!buffers.TryGetValue(field.Name, out var buffer) || buffer.Length != count) buffers[field.Name] = buffer = new T[count];
        var values = (T[])buffer;
        await group.ReadAsync<T>(field, values.AsMemory(), cancellationToken: ct);
        return values;
    }

    // Rows of a Parquet file, from its footer.
    private static long Rows(string path)
    {
        long rows = 0;
        Run(async () =>
        {
            await using var stream = File.OpenRead(path);
            ParquetReader reader;
            try { reader = await ParquetReader.CreateAsync(stream); }
            catch (Exception e) when (e is IOException or InvalidDataException or NotSupportedException)
            {
                throw new InvalidDataException($"{path}: not a readable Parquet file: {e.Message}", e);
            }
            await using (reader)
                for (int g = 0; g < reader.RowGroupCount; g++) rows += reader.RowGroups[g].RowCount;
        });
        return rows;
    }

    // Paper ids as strings or (widened) integers.
    private static Array Ids(Array column, string path, string name) => column switch
    {
        string?[] or long?[] or long[] => column,
        int?[] i => Array.ConvertAll(i, v => (long?)v),
        int[] i => Array.ConvertAll(i, v => (long)v),
        _ => throw new InvalidDataException($"{path}: column '{name}' should hold paper ids (strings or integers)."),
    };

    private static long?[] Integers(Array column) => column switch
    {
        long?[] l => l,
        int?[] i => Array.ConvertAll(i, v => (long?)v),
        long[] l => Array.ConvertAll(l, v => (long?)v),
        int[] i => Array.ConvertAll(i, v => (long?)v),
        _ => new long?[column.Length],
    };

    private static IEnumerable<(int From, int Count)> Groups(int rows)
    {
        if (rows == 0) { yield return (0, 0); yield break; }
        for (int from = 0; from < rows; from += RowGroupSize) yield return (from, Math.Min(RowGroupSize, rows - from));
    }

    // Parquet.Net is asynchronous only; the library's API is synchronous like the rest of ML.NET's.
    internal static void Run(Func<Task> work) => Task.Run(work).GetAwaiter().GetResult();
}
