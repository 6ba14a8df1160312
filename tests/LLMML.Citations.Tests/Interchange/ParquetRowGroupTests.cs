using LLMML.Citations.Interchange;
using LLMML.Citations.Tests.Support;
using Parquet;
using Parquet.Schema;

namespace LLMML.Citations.Tests.Interchange;

/// <summary>Edge files of several row groups (buffers reused from group to group) load as one sequential read of the rows.</summary>
public sealed class ParquetRowGroupTests : TemporaryFolderTest
{
    [Theory]
    [InlineData(1)]
    [InlineData(2)]
    [InlineData(7)]
    public async Task Many_row_groups_load_in_file_order(int groups)
    {
        var rng = new Random(groups);
        var path = Path.Combine(Dir, "e.parquet");
        var src = new DataField<long>(CitationParquet.Source, nullable: false);
        var dst = new DataField<long>(CitationParquet.Destination, nullable: false);
        var all = new List<(long, long)>();
        await using (var stream = File.Create(path))
        {
            await using var writer = await ParquetWriter.CreateAsync(new ParquetSchema(src, dst), stream);
            for (int g = 0; g < groups; g++)
            {
                int rows = 50 + rng.Next(100);
                var s = new long[rows];
                var d = new long[rows];
                for (int i = 0; i < rows; i++) { s[i] = 1000 + rng.Next(300); d[i] = 1000 + rng.Next(300); all.Add((s[i], d[i])); }
                using var group = writer.CreateRowGroup();
                await group.WriteAsync<long>(src, s.AsMemory());
                await group.WriteAsync<long>(dst, d.AsMemory());
            }
        }
        var load = CitationParquet.ReadGraph(path);
        var g2 = load.Graph;
        load.Diagnostics.Records.Should().Be(all.Count);
        // Papers are numbered in order of first appearance in the file, as a sequential read numbers them.
        var order = new List<long>();
        var seen = new HashSet<long>();
        foreach (var (s, d) in all) { if (seen.Add(s)) order.Add(s); if (seen.Add(d)) order.Add(d); }
        g2.PaperIds.Should().Equal(order.Select(x => x.ToString(System.Globalization.CultureInfo.InvariantCulture)));
        var expected = all.Where(e => e.Item1 != e.Item2).Distinct().OrderBy(e => e.Item1).ThenBy(e => e.Item2).ToList();
        var actual = Enumerable.Range(0, g2.NodeCount).SelectMany(u => g2.ReferencesOf(u).ToArray()
            .Select(v => (long.Parse(g2.PaperIds[u]), long.Parse(g2.PaperIds[v])))).OrderBy(e => e.Item1).ThenBy(e => e.Item2).ToList();
        actual.Should().Equal(expected);
    }
}
