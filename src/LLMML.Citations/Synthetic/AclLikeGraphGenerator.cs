using LLMML.Citations.Graphs;

namespace LLMML.Citations.Synthetic;

/// <summary>A generated graph and which of its papers are seeds.</summary>
/// <param name="Graph">The graph (citing → cited); fields are tracks, every edge annotated with influence and intents.</param>
/// <param name="IsSeed">True for the main-conference seed papers.</param>
public sealed record SyntheticCitationGraph(CitationGraph Graph, bool[] IsSeed);

/// <summary>
/// Generates an ACL-like one-hop citation graph: seed papers (years 2018–2023, one track each) cite earlier
/// seeds and an older pool of papers; newer non-seed papers cite seeds. As in the paper's crawl, no edge joins two
/// non-seed papers. Citation targets are drawn by a heavy-tailed fitness, within the citing paper's track with
/// probability <see cref="AclLikeGraphOptions.Homophily"/>, and never forward in time. Every edge carries
/// influence and intent flags (background 60%, methodology 27%, result 8%, influential 10%).
/// </summary>
public static class AclLikeGraphGenerator
{
    /// <summary>Builds a graph; the same options give the same graph.</summary>
    public static SyntheticCitationGraph Generate(AclLikeGraphOptions? options = null)
    {
        options ??= new AclLikeGraphOptions();
        int seeds = options.Seeds, nonSeeds = options.Nodes - options.Seeds;
        if (seeds < 10 || nonSeeds < 10) throw new ArgumentException($"Need at least 10 seeds and 10 non-seed papers (got {seeds} and {nonSeeds}).", nameof(options));
        var rng = new Random(options.RandomSeed);
        var tracks = AclTracks.All;
        int ia = 0;
        int pool = (int)(nonSeeds * 0.42), citers = nonSeeds - pool;
        // Edge budget: seed → seed, seed → pool, citer → seed.
        int seedToSeed = (int)(options.Edges * options.SeedToSeedShare);
        int seedToPool = (int)(options.Edges * (0.40 - options.SeedToSeedShare));
        int citerToSeed = options.Edges - seedToSeed - seedToPool;

        var builder = new CitationGraphBuilder();
        builder.DeclareFields(tracks.Select(t => t.Name));

        // Seeds, sorted by year so "published by year y" is a prefix.
        var seedYear = new int[seeds];
        var seedTrack = new int[seeds];
        var seedFitness = new double[seeds];
        int years = options.LastYear - options.FirstYear + 1;
        for (int i = 0; i < seeds; i++)
        {
            // Conferences grew: later years hold more papers.
            double u = rng.NextDouble();
            int y = (int)(years * Math.Sqrt(u * (1 + 1.0 / years) * years / (years + 1.0)));
            seedYear[i] = options.FirstYear + Math.Min(years - 1, y);
        }
        Array.Sort(seedYear);
        for (int i = 0; i < seeds; i++)
        {
            seedTrack[i] = PickTrack(rng, tracks, seedYear[i], options.InterpretabilityFromYear, ia);
            // Older papers had longer to collect citations; fitness is lognormal.
            seedFitness[i] = Math.Exp(1.1 * Normal(rng)) * (options.LastYear + 2 - seedYear[i]);
            int p = builder.Paper("S" + i);
            builder.SetYear(p, seedYear[i]);
            builder.SetField(p, tracks[seedTrack[i]].Name);
        }

        // The pool of older papers seeds cite.
        var poolYear = new int[pool];
        for (int i = 0; i < pool; i++) poolYear[i] = options.LastYear - (int)Math.Min(35, -Math.Log(1 - rng.NextDouble()) * 6);
        Array.Sort(poolYear);
        var poolTrack = new int[pool];
        var poolFitness = new double[pool];
        for (int i = 0; i < pool; i++)
        {
            poolTrack[i] = PickTrack(rng, tracks, Math.Max(poolYear[i], options.InterpretabilityFromYear), options.InterpretabilityFromYear, ia);
            poolFitness[i] = Math.Exp(1.5 * Normal(rng));
            int p = builder.Paper("R" + i);
            builder.SetYear(p, poolYear[i]);
            builder.SetField(p, tracks[poolTrack[i]].Name);
        }
        int poolBase = seeds, citerBase = seeds + pool;

        var seedSampler = new YearTrackSampler(seedYear, seedTrack, seedFitness, tracks.Count);
        var poolSampler = new YearTrackSampler(poolYear, poolTrack, poolFitness, tracks.Count);
        var chosen = new HashSet<int>();

        // Every pool paper is cited at least once (else it would not be in a one-hop crawl), by a seed no older than it.
        for (int i = 0; i < pool; i++)
        {
            int firstSeed = LowerBound(seedYear, poolYear[i]);
            int s = rng.Next(Math.Min(firstSeed, seeds - 1), seeds);
            builder.AddCitation(s, poolBase + i, Flags(rng));
        }
        for (int e = pool; e < seedToPool; e++)
        {
            int s = rng.Next(seeds);
            int r = poolSampler.Sample(rng, seedYear[s], inclusive: true, seedTrack[s], options.Homophily);
            if (r >= 0) builder.AddCitation(s, poolBase + r, Flags(rng));
        }
        for (int e = 0; e < seedToSeed; e++)
        {
            int s = rng.Next(seeds);
            int t = seedSampler.Sample(rng, seedYear[s], inclusive: false, seedTrack[s], options.Homophily);
            if (t >= 0) builder.AddCitation(s, t, Flags(rng));
        }

        // Newer papers citing seeds, each a few of them.
        double meanCited = (double)citerToSeed / citers;
        for (int c = 0; c < citers; c++)
        {
            int year = options.FirstYear + (int)(Math.Sqrt(rng.NextDouble()) * (years + 1)); // up to a year after the last seed year
            int track = PickTrack(rng, tracks, year, options.InterpretabilityFromYear, ia);
            int p = builder.Paper("C" + c);
            builder.SetYear(p, year);
            builder.SetField(p, tracks[track].Name);
            int m = 1 + Poisson(rng, meanCited - 1);
            chosen.Clear();
            for (int k = 0, tries = 0; k < m && tries < 4 * m; tries++)
            {
                int t = seedSampler.Sample(rng, year, inclusive: true, track, options.Homophily);
                if (t < 0) t = rng.Next(seeds);
                if (!chosen.Add(t)) continue;
                builder.AddCitation(citerBase + c, t, Flags(rng));
                k++;
            }
        }
        var graph = builder.Build();
        var isSeed = new bool[graph.NodeCount];
        for (int i = 0; i < seeds; i++) isSeed[i] = true;
        return new SyntheticCitationGraph(graph, isSeed);
    }

    private static int PickTrack(Random rng, IReadOnlyList<(string Name, double Weight)> tracks, int year, int iaFrom, int ia)
    {
        double total = 0;
        for (int t = 0; t < tracks.Count; t++) total += Weight(tracks, t, year, iaFrom, ia);
        double u = rng.NextDouble() * total;
        for (int t = 0; t < tracks.Count; t++)
        {
            u -= Weight(tracks, t, year, iaFrom, ia);
            if (u < 0) return t;
        }
        return tracks.Count - 1;
    }

    private static double Weight(IReadOnlyList<(string Name, double Weight)> tracks, int t, int year, int iaFrom, int ia)
    {
        if (t == ia && year < iaFrom) return 0;
        if (tracks[t].Name == AclTracks.LargeLanguageModels) return year >= 2022 ? tracks[t].Weight * (year - 2020) : 0;
        return tracks[t].Weight;
    }

    private static EdgeFlags Flags(Random rng)
    {
        var f = EdgeFlags.Annotated;
        double u = rng.NextDouble();
        if (u < 0.60) f |= EdgeFlags.Background;
        else if (u < 0.87) f |= EdgeFlags.Methodology;
        else if (u < 0.95) f |= EdgeFlags.Result;
        if (rng.NextDouble() < 0.10) f |= EdgeFlags.Influential;
        return f;
    }

    private static double Normal(Random rng) =>
        Math.Sqrt(-2 * Math.Log(1 - rng.NextDouble())) * Math.Cos(2 * Math.PI * rng.NextDouble());

    private static int Poisson(Random rng, double mean)
    {
        if (mean <= 0) return 0;
        // Knuth's method is fine for the small means used here.
        double l = Math.Exp(-mean), p = 1;
        int k = 0;
        do { k++; p *= rng.NextDouble(); } while (p > l);
        return k - 1;
    }

    internal static int LowerBound(int[] sorted, int value)
    {
        int lo = 0, hi = sorted.Length;
        while (lo < hi)
        {
            int mid = (lo + hi) >>> 1;
            if (sorted[mid] < value) lo = mid + 1; else hi = mid;
        }
        return lo;
    }
}
