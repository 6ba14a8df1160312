namespace LLMML.Rasp.Language;

/// <summary>How an SOp is laid out in the residual stream.</summary>
public enum RaspEncoding
{
    /// <summary>One direction per value (one-hot). The default.</summary>
    Categorical,
    /// <summary>One direction holding the value as a scalar.</summary>
    Numerical,
}
