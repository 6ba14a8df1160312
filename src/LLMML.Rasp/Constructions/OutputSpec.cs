using LLMML.Rasp.Ir;
using LLMML.Rasp.Language;

namespace LLMML.Rasp.Constructions;

/// <summary>Where a block writes: one-hot over values, or one scalar.</summary>
public sealed record OutputSpec(string Name, RaspEncoding Encoding, IReadOnlyList<RaspValue> Values)
{
    public IReadOnlyList<BasisDirection> Directions => Encoding == RaspEncoding.Numerical
        ? [new BasisDirection(Name)]
        : Values.Select(v => new BasisDirection(Name, v)).ToList();

    /// <summary>The output vector of a value: one-hot, scalar, or zero for None.</summary>
    public double[] Encode(RaspValue v)
    {
        var e = new double[Encoding == RaspEncoding.Numerical ? 1 : Values.Count];
        if (v.IsNone) return e;
        if (Encoding == RaspEncoding.Numerical) e[0] = v.Number;
        else
        {
            var i = Values.ToList().IndexOf(v);
            if (i >= 0) e[i] = 1;
        }
        return e;
    }
}
