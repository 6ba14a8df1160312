using LLMML.Citations.Interchange;
using LLMML.Foundation.Persistence;
using LLMML.Foundation.Progress;
using Parquet;
using Parquet.Schema;

namespace LLMML.Citations.Synthetic;

/// <summary>
/// Writes a citation-like graph of any size straight to Parquet (vertex and edge files, <see cref="CitationParquet"/>'s
/// schema with integer ids), never holding it as a graph: papers appear in publication order (years growing
/// exponentially), each in a Zipf-sized field, and cite earlier papers — within their field with probability
/// <see cref="ScaleGraphOptions.Homophily"/>, uniformly at random with probability
/// <see cref="ScaleGraphOptions.UniformShare"/>, otherwise by preferential attachment (a random earlier citation's
/// target, so a paper is picked in proportion to the citations it has). Memory: one int per reference (the attachment
/// lists) plus a row group. Heavy-tailed in-degrees, citations only backwards in time, field homophily: the shape
/// of OpenAlex at any scale.
/// </summary>
public static class ScaleGraphGenerator
{
    /// <summary>Writes the two files; returns the numbers of papers and references.</summary>
    public static (int Papers, long References) Write(ScaleGraphOptions options, string verticesPath, string edgesPath,
        IProgress<ProgressUpdate>? progress = null, CancellationToken cancellationToken = default)
    {
        int n = options.Papers, fields = options.Fields;
        if (n < 2 || fields < 1) throw new ArgumentException($"Need at least 2 papers and 1 field (got {n} and {fields}).", nameof(options));
        var rng = new Random(options.RandomSeed);
        var field = new byte[n];
        var fieldWeights = Enumerable.Range(1, fields).Select(k => 1.0 / k).ToArray();
        double fieldTotal = fieldWeights.Sum();
        // Papers of each field so far (for uniform same-field picks) and targets of citations so far (preferential picks).
        var members = Enumerable.Range(0, fields).Select(_ => new List<int>()).ToArray();
        var cited = Enumerable.Range(0, fields).Select(_ => new List<int>()).ToArray();
        var citedAll = new List<int>();
        long references = 0;

        var src = new DataField<long>(CitationParquet.Source, nullable: false);
        var dst = new DataField<long>(CitationParquet.Destination, nullable: false);
        var edgeSchema = new ParquetSchema(src, dst);
        var srcBuffer = new long[CitationParquet.RowGroupSize];
        var dstBuffer = new long[CitationParquet.RowGroupSize];
        int buffered = 0;
        AtomicFile.Write(edgesPath, stream => CitationParquet.Run(async () =>
        {
            await using var writer = await ParquetWriter.CreateAsync(edgeSchema, stream, cancellationToken: cancellationToken);
            async Task Flush()
            {
                using var group = writer.CreateRowGroup();
                await group.WriteAsync<long>(src, srcBuffer.AsMemory(0, buffered), cancellationToken: cancellationToken);
                await group.WriteAsync<long>(dst, dstBuffer.AsMemory(0, buffered), cancellationToken: cancellationToken);
                buffered = 0;
            }
            var chosen = new HashSet<int>();
            for (int i = 0; i < n; i++)
            {
                double u = rng.NextDouble() * fieldTotal;
                int f = 0;
                while (f < fields - 1 && (u -= fieldWeights[f]) > 0) f++;
                field[i] = (byte)f;
                // Reference count: geometric around the mean, capped by what exists.
                int k = i == 0 ? 0 : Math.Min(i, (int)(-options.MeanReferences * Math.Log(1 - rng.NextDouble())));
                chosen.Clear();
                for (int attempt = 0; chosen.Count < k && attempt < 4 * k; attempt++)
                {
                    bool same = rng.NextDouble() < options.Homophily && members[f].Count > 0;
                    var pool = same ? cited[f] : citedAll;
                    int target = rng.NextDouble() < options.UniformShare || pool.Count == 0
                        ? (same ? members[f][rng.Next(members[f].Count)] : rng.Next(i))
                        : pool[rng.Next(pool.Count)];
                    chosen.Add(target);
                }
                foreach (var t in chosen)
                {
                    srcBuffer[buffered] = i;
                    dstBuffer[buffered] = t;
                    if (++buffered == srcBuffer.Length) await Flush();
                    cited[field[t]].Add(t);
                    citedAll.Add(t);
                }
                references += chosen.Count;
                members[f].Add(i);
                if ((i & 0xFFFFF) == 0)
                {
                    cancellationToken.ThrowIfCancellationRequested();
                    progress?.Report(new ProgressUpdate("generate", i, n));
                }
            }
            if (buffered > 0) await Flush();
        }));
        members = null!; cited = null!; citedAll = null!;

        // Years: paper i's year inverts the cumulative of papers per year ∝ e^(g·t).
        const double growth = 0.04;
        int span = options.LastYear - options.FirstYear + 1;
        double total = Math.Exp(growth * span) - 1;
        var id = new DataField<long>(CitationParquet.Id, nullable: false);
        var year = new DataField<int>(CitationParquet.Year, nullable: false);
        var name = new DataField<string>(CitationParquet.Field, nullable: false);
        var fieldNames = Enumerable.Range(0, fields).Select(f => $"Field {f + 1:00}").ToArray();
        AtomicFile.Write(verticesPath, stream => CitationParquet.Run(async () =>
        {
            await using var writer = await ParquetWriter.CreateAsync(new ParquetSchema(id, year, name), stream, cancellationToken: cancellationToken);
            for (int from = 0; from < n; from += CitationParquet.RowGroupSize)
            {
                int count = Math.Min(CitationParquet.RowGroupSize, n - from);
                using var group = writer.CreateRowGroup();
                await group.WriteAsync<long>(id, Enumerable.Range(from, count).Select(i => (long)i).ToArray().AsMemory(), cancellationToken: cancellationToken);
                await group.WriteAsync<int>(year, Enumerable.Range(from, count)
                    .Select(i => options.FirstYear + Math.Min(span - 1, (int)(Math.Log(1 + total * (i + 0.5) / n) / growth))).ToArray().AsMemory(), cancellationToken: cancellationToken);
                await group.WriteAsync(name, Enumerable.Range(from, count).Select(i => fieldNames[field[i]]).ToArray());
            }
        }));
        return (n, references);
    }
}
