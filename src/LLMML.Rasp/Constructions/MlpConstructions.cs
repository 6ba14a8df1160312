using System.Globalization;
using LLMML.Rasp.Compiler;
using LLMML.Rasp.Ir;
using LLMML.Rasp.Language;

namespace LLMML.Rasp.Constructions;

/// <summary>
/// MLP constructions (tracr's categorical_mlp and numerical_mlp): ReLU MLP blocks over named directions. Every constant term is
/// multiplied by "not BOS" = one − tokens:BOS, so every variable stays exactly 0 at the BOS
/// position, which attention reads as its default value.
/// </summary>
/// <param name="bos">The BOS direction (gates every constant).</param>
/// <param name="maxParameters">
/// The compiled model's weight limit. A block's W1 and W2 are no larger than its share of the
/// assembled MLP (hidden units × residual width, twice), so a block past the limit is refused before
/// its matrices are allocated.
/// </param>
public sealed class MlpConstructions(BasisDirection bos, long maxParameters = long.MaxValue)
{
    private static readonly BasisDirection One = new(ResidualLayout.One);

    private void EnsureWithinLimit(string node, long units, int inputs, int outputs)
    {
        if (units * (inputs + outputs) > maxParameters)
            throw new RaspCompileException(node, string.Create(CultureInfo.InvariantCulture,
                $"its MLP alone needs at least {units * (inputs + outputs):N0} weights ({units:N0} hidden units), more than the limit of {maxParameters:N0} (RaspCompilerOptions.MaxParameters, `--max-params` on the command line)"));
    }

    /// <summary>Categorical → categorical lookup table: one unit per output value.</summary>
    public MlpBlock CategoricalMap(string node, IReadOnlyList<BasisDirection> input, Func<RaspValue, RaspValue> f, OutputSpec output)
    {
        var outs = output.Directions;
        var hiddenValues = output.Values.ToList();
        EnsureWithinLimit(node, hiddenValues.Count, input.Count, outs.Count);
        var w1 = new double[input.Count, hiddenValues.Count];
        var w2 = new double[hiddenValues.Count, outs.Count];
        for (var i = 0; i < input.Count; i++)
        {
            var y = f(input[i].Value);
            var h = hiddenValues.IndexOf(y);
            if (!y.IsNone && h >= 0) w1[i, h] = 1;
        }
        for (var h = 0; h < hiddenValues.Count; h++) w2[h, h] = 1;
        return new MlpBlock
        {
            Node = node, Inputs = input, Outputs = outs, W1 = w1, W2 = w2,
            Hidden = hiddenValues.Select(v => $"{node}.lookup:{v}").ToList(),
        };
    }

    /// <summary>
    /// A numerical output that is a linear function of the residual: ReLU(u) − ReLU(−u) = u.
    /// tracr uses ReLU(u) alone and clips negative values; this keeps them.
    /// </summary>
    public MlpBlock LinearNumerical(string node, IReadOnlyList<(BasisDirection Dir, double Coef)> form, OutputSpec output)
    {
        var inputs = form.Select(t => t.Dir).Distinct().ToList();
        var w1 = new double[inputs.Count, 2];
        foreach (var (dir, coef) in form)
        {
            var i = inputs.IndexOf(dir);
            w1[i, 0] += coef;
            w1[i, 1] -= coef;
        }
        var w2 = new double[2, 1];
        w2[0, 0] = 1;
        w2[1, 0] = -1;
        return new MlpBlock
        {
            Node = node, Inputs = inputs, Outputs = output.Directions, W1 = w1, W2 = w2,
            Hidden = [$"{node}.pos", $"{node}.neg"],
        };
    }

    /// <summary>
    /// Discretising MLP on a scalar z (a linear form of the residual) known to take only
    /// <paramref name="zValues"/>: a constant for the smallest value plus one sharp step
    /// ReLU(L(z−t)+1) − ReLU(L(z−t)) at each midpoint t where the output changes. The slope L is
    /// chosen per step from its gap, so it is exact for every value in the set.
    /// </summary>
    public MlpBlock Discretising(string node, IReadOnlyList<(BasisDirection Dir, double Coef)> zForm,
        IReadOnlyList<double> zValues, Func<double, RaspValue> f, OutputSpec output, double minSlope)
    {
        var values = zValues.Distinct().Order().ToList();
        var outs = output.Directions;
        var inputs = zForm.Select(t => t.Dir).Append(One).Append(bos).Distinct().ToList();
        var cols1 = new List<double[]>();
        var rows2 = new List<double[]>();
        var hidden = new List<string>();
        double[] Column() => new double[inputs.Count];

        var prev = output.Encode(f(values[0]));
        if (prev.Any(x => x != 0))
        {
            var c = Column();
            c[inputs.IndexOf(One)] = 1;
            c[inputs.IndexOf(bos)] = -1;
            cols1.Add(c);
            rows2.Add(prev);
            hidden.Add($"{node}.base");
        }
        for (var k = 0; k + 1 < values.Count; k++)
        {
            var next = output.Encode(f(values[k + 1]));
            var delta = next.Zip(prev, (a, b) => a - b).ToArray();
            prev = next;
            if (delta.All(x => x == 0)) continue;
            var gap = values[k + 1] - values[k];
            var t = (values[k] + values[k + 1]) / 2;
            var slope = Math.Max(minSlope, 8 / gap);
            var a = Column();
            var b = Column();
            foreach (var (dir, coef) in zForm)
            {
                a[inputs.IndexOf(dir)] += slope * coef;
                b[inputs.IndexOf(dir)] += slope * coef;
            }
            // Constants gated by not-BOS: (one − tokens:BOS).
            a[inputs.IndexOf(One)] += 1 - slope * t;
            a[inputs.IndexOf(bos)] -= 1 - slope * t;
            b[inputs.IndexOf(One)] += -slope * t;
            b[inputs.IndexOf(bos)] -= -slope * t;
            cols1.Add(a);
            rows2.Add(delta);
            hidden.Add($"{node}.step{k}a");
            cols1.Add(b);
            rows2.Add(delta.Select(x => -x).ToArray());
            hidden.Add($"{node}.step{k}b");
        }
        return Assemble(node, inputs, outs, cols1, rows2, hidden);
    }

    /// <summary>
    /// Categorical × categorical → anything: one unit per input pair, ReLU(x_a + x_b − 1), the AND of
    /// two one-hots, writing the encoding of f(a, b). Width |A|·|B|.
    /// </summary>
    public MlpBlock PairTable(string node, IReadOnlyList<BasisDirection> left, IReadOnlyList<BasisDirection> right,
        Func<RaspValue, RaspValue, RaspValue> f, OutputSpec output)
    {
        var inputs = left.Concat(right).Append(One).Distinct().ToList();
        var outs = output.Directions;
        long units = 0;
        foreach (var a in left)
            foreach (var b in right)
                if (!f(a.Value, b.Value).IsNone) units++;
        EnsureWithinLimit(node, units, inputs.Count, outs.Count);
        var cols1 = new List<double[]>();
        var rows2 = new List<double[]>();
        var hidden = new List<string>();
        foreach (var a in left)
            foreach (var b in right)
            {
                var enc = output.Encode(f(a.Value, b.Value));
                if (enc.All(x => x == 0)) continue;
                var c = new double[inputs.Count];
                c[inputs.IndexOf(a)] += 1;
                c[inputs.IndexOf(b)] += 1;
                c[inputs.IndexOf(One)] -= 1;
                cols1.Add(c);
                rows2.Add(enc);
                hidden.Add($"{node}.pair:{a.Value},{b.Value}");
            }
        return Assemble(node, inputs, outs, cols1, rows2, hidden);
    }

    private static MlpBlock Assemble(string node, List<BasisDirection> inputs, IReadOnlyList<BasisDirection> outs,
        List<double[]> cols1, List<double[]> rows2, List<string> hidden)
    {
        var w1 = new double[inputs.Count, cols1.Count];
        var w2 = new double[cols1.Count, outs.Count];
        for (var h = 0; h < cols1.Count; h++)
        {
            for (var i = 0; i < inputs.Count; i++) w1[i, h] = cols1[h][i];
            for (var o = 0; o < outs.Count; o++) w2[h, o] = rows2[h][o];
        }
        return new MlpBlock { Node = node, Inputs = inputs, Outputs = outs, W1 = w1, W2 = w2, Hidden = hidden };
    }
}
