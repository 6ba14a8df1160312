using LLMML.LanguageModels.Generation;
using LLMML.LanguageModels.Tests.Modeling;
using static TorchSharp.torch;

namespace LLMML.LanguageModels.Tests.Generation;

public class PaddingAndCacheTests
{
    public static TheoryData<string> Families => TinyModels.Families;

    [Theory]
    [MemberData(nameof(Families))]
    public void LeftAndRightPaddedBatchesEqualUnpaddedRows(string family)
    {
        using var model = TinyModels.Create(family, seed: 11);
        var rows = new[] { 3, 7, 5 }.Select((n, i) => TinyModels.Ids(n, model.Config.VocabularySize, seed: 20 + i)).ToArray();
        var singles = rows.Select(r => TinyModels.Logits(model, r)).ToArray();
        foreach (var left in new[] { true, false })
        {
            var width = rows.Max(r => r.Length);
            var ids = new long[rows.Length * width];
            var mask = new long[rows.Length * width];
            for (var r = 0; r < rows.Length; r++)
                for (var j = 0; j < rows[r].Length; j++)
                {
                    var t = left ? width - rows[r].Length + j : j;
                    ids[r * width + t] = rows[r][j];
                    mask[r * width + t] = 1;
                }
            using var scope = NewDisposeScope();
            using var noGrad = no_grad();
            var logits = model.forward(tensor(ids, [rows.Length, width]), tensor(mask, [rows.Length, width]), null).to_type(ScalarType.Float64);
            for (var r = 0; r < rows.Length; r++)
                for (var j = 0; j < rows[r].Length; j++)
                {
                    var t = left ? width - rows[r].Length + j : j;
                    var row = logits[r, t].data<double>().ToArray();
                    row.Zip(singles[r][j]).Max(p => Math.Abs(p.First - p.Second))
                        .Should().BeLessThan(1e-4, $"{family} {(left ? "left" : "right")}-padded row {r} position {j}");
                }
        }
    }

    [Theory]
    [MemberData(nameof(Families))]
    public void IncrementalLogitsWithCacheEqualFullForward(string family)
    {
        using var model = TinyModels.Create(family, seed: 12);
        var ids = TinyModels.Ids(9, model.Config.VocabularySize, seed: 4);
        var full = TinyModels.Logits(model, ids);
        using var cache = new KeyValueCache(model.Config.NumLayers);
        using var noGrad = no_grad();
        // feed 4 tokens, then one at a time
        var chunks = new[] { ids[..4] }.Concat(ids[4..].Select(i => new[] { i })).ToArray();
        var position = 0;
        foreach (var chunk in chunks)
        {
            using var scope = NewDisposeScope();
            var logits = model.forward(tensor(chunk, [1, chunk.Length]), null, cache)[0].to_type(ScalarType.Float64);
            for (var j = 0; j < chunk.Length; j++, position++)
                logits[j].data<double>().ToArray().Zip(full[position]).Max(p => Math.Abs(p.First - p.Second))
                    .Should().BeLessThan(1e-4, $"{family} position {position}");
        }
        cache.Length.Should().Be(ids.Length);
    }

    [Theory]
    [MemberData(nameof(Families))]
    public void CachedBatchedGreedyGenerationEqualsFullRecomputation(string family)
    {
        using var model = TinyModels.Create(family, seed: 13);
        var prompts = new[] { 2, 6 }.Select((n, i) => TinyModels.Ids(n, model.Config.VocabularySize, seed: 40 + i).Select(v => (int)v).ToArray()).ToArray();
        var options = new GenerationOptions { MaxNewTokens = 8, StopTokenIds = [] };

        var generated = TokenGenerator.Generate(model, prompts, options, padId: 0);

        for (var r = 0; r < prompts.Length; r++)
        {
            // Reference: no cache, no padding, recompute the whole sequence for every token.
            var sequence = prompts[r].Select(v => (long)v).ToList();
            var expected = new List<int>();
            for (var step = 0; step < options.MaxNewTokens; step++)
            {
                var logits = TinyModels.Logits(model, sequence.ToArray())[^1];
                var next = Array.IndexOf(logits, logits.Max());
                expected.Add(next);
                sequence.Add(next);
            }
            generated[r].Should().Equal(expected, $"{family} row {r}");
        }
    }

    [Fact]
    public void GenerationStopsAtStopTokenAndCondition()
    {
        using var model = TinyModels.Create("gpt2", seed: 14);
        var prompt = new[] { new[] { 1, 2, 3 } };
        var free = TokenGenerator.Generate(model, prompt, new GenerationOptions { MaxNewTokens = 6, StopTokenIds = [] })[0];
        free.Should().HaveCount(6);

        var stopAt = free[3];
        var stopped = TokenGenerator.Generate(model, prompt, new GenerationOptions { MaxNewTokens = 6, StopTokenIds = [stopAt] })[0];
        stopped.Should().Equal(free.TakeWhile(t => t != stopAt));

        var byCondition = TokenGenerator.Generate(model, prompt, new GenerationOptions { MaxNewTokens = 6, StopTokenIds = [] }, stop: (_, g) => g.Count == 2)[0];
        byCondition.Should().Equal(free.Take(2));
    }
}
