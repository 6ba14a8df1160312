using LLMML.Rasp.Ir;
using LLMML.Rasp.Language;

namespace LLMML.Rasp.Constructions;

/// <summary>
/// Attention constructions (tracr's categorical_attn and selector_width): heads for Aggregate and SelectorWidth. Matching (query, key)
/// pairs score c; BOS scores c/2 from the query's `one` direction, so it wins only when nothing
/// matches and then supplies the default. There is no 1/√d scaling, so c is the real coldness.
/// </summary>
public sealed class AttentionConstructions(BasisDirection bos, double coldness)
{
    private static readonly BasisDirection One = new(ResidualLayout.One);

    /// <summary>The numerical direction a SelectorWidth's head writes 1/(w+1) to, before its MLP reads it.</summary>
    public static BasisDirection SelectorWidthScratch(string label) => new($"{label}_selector_width_attn_output");

    private (List<BasisDirection> Q, List<BasisDirection> K, double[,] QK) Pattern(
        IReadOnlyList<BasisDirection> queryDirs, IReadOnlyList<BasisDirection> keyDirs,
        Func<RaspValue, RaspValue, bool> holds, double bosScore)
    {
        var q = queryDirs.Append(One).ToList();
        var k = keyDirs.Append(bos).ToList();
        var qk = new double[q.Count, k.Count];
        for (var i = 0; i < queryDirs.Count; i++)
            for (var j = 0; j < keyDirs.Count; j++)
                if (holds(keyDirs[j].Value, queryDirs[i].Value)) qk[i, j] = coldness;
        qk[q.Count - 1, k.Count - 1] = bosScore;
        return (q, k, qk);
    }

    /// <summary>Aggregate: copies value v of the input to value v of the output (or the scalar).</summary>
    public AttentionHeadBlock Aggregate(string node, IReadOnlyList<BasisDirection> queryDirs, IReadOnlyList<BasisDirection> keyDirs,
        Func<RaspValue, RaspValue, bool> holds, IReadOnlyList<BasisDirection> inputDirs, OutputSpec output, RaspValue defaultValue)
    {
        var (q, k, qk) = Pattern(queryDirs, keyDirs, holds, coldness / 2);
        var outs = output.Directions;
        var defaultEnc = output.Encode(defaultValue);
        var hasDefault = defaultEnc.Any(x => x != 0);
        var vals = hasDefault ? inputDirs.Append(bos).ToList() : inputDirs.ToList();
        var ov = new double[vals.Count, outs.Count];
        for (var i = 0; i < inputDirs.Count; i++)
        {
            if (output.Encoding == RaspEncoding.Numerical) { ov[i, 0] = 1; continue; }
            var o = outs.ToList().IndexOf(new BasisDirection(output.Name, inputDirs[i].Value));
            if (o >= 0) ov[i, o] = 1;
        }
        // Selected keys outweigh BOS by e^(c/2), so BOS's value only shows when nothing is selected.
        if (hasDefault)
            for (var o = 0; o < outs.Count; o++) ov[vals.Count - 1, o] = defaultEnc[o];
        return new AttentionHeadBlock { Node = node, Queries = q, Keys = k, QK = qk, Values = vals, Outputs = outs, OV = ov };
    }

    /// <summary>
    /// SelectorWidth's head: BOS scores like a selected key, so with w selected keys each gets
    /// 1/(w+1) and BOS's value 1 lands in the scratch dimension as 1/(w+1).
    /// </summary>
    public AttentionHeadBlock SelectorWidth(string node, IReadOnlyList<BasisDirection> queryDirs, IReadOnlyList<BasisDirection> keyDirs,
        Func<RaspValue, RaspValue, bool> holds, BasisDirection scratch)
    {
        var (q, k, qk) = Pattern(queryDirs, keyDirs, holds, coldness);
        var ov = new double[1, 1];
        ov[0, 0] = 1;
        return new AttentionHeadBlock { Node = node, Queries = q, Keys = k, QK = qk, Values = [bos], Outputs = [scratch], OV = ov };
    }
}
