namespace LLMML.Sweeps.Tuners;

/// <summary>Points and directions in the unit hypercube every tuner searches.</summary>
internal static class UnitCube
{
    public static double[] Uniform(Random random, int dim)
    {
        var x = new double[dim];
        for (int i = 0; i < dim; i++) x[i] = random.NextDouble();
        return x;
    }

    /// <summary>A direction uniform on the unit sphere (normalised standard normals).</summary>
    public static double[] Direction(Random random, int dim)
    {
        var u = new double[dim];
        double norm = 0;
        while (norm < 1e-12)
        {
            norm = 0;
            for (int i = 0; i < dim; i++)
            {
                u[i] = Gaussian(random);
                norm += u[i] * u[i];
            }
        }
        norm = Math.Sqrt(norm);
        for (int i = 0; i < dim; i++) u[i] /= norm;
        return u;
    }

    /// <summary>x + scale·u, clamped into the cube.</summary>
    public static double[] Step(double[] x, double[] u, double scale)
    {
        var y = new double[x.Length];
        for (int i = 0; i < x.Length; i++) y[i] = Math.Clamp(x[i] + scale * u[i], 0, 1);
        return y;
    }

    // Box–Muller.
    public static double Gaussian(Random random) =>
        Math.Sqrt(-2 * Math.Log(1 - random.NextDouble())) * Math.Cos(2 * Math.PI * random.NextDouble());
}
