namespace LLMML.Citations.Loading;

/// <summary>The citation sources the loaders understand.</summary>
public enum CitationFormat
{
    /// <summary>Cora: <c>cora.cites</c> (cited&lt;TAB&gt;citing) or the <c>cora.npz</c> archive.</summary>
    Cora,
    /// <summary>Semantic Scholar Graph API paper records (JSON array, <c>{"data": [...]}</c> or JSONL), or the S2 citations dataset's edge records.</summary>
    S2,
    /// <summary>S2ORC metadata JSONL (<c>paper_id, year, outbound_citations, inbound_citations</c>).</summary>
    S2orc,
    /// <summary>OpenAlex works JSONL or JSON (<c>id, publication_year, referenced_works, topics</c>).</summary>
    OpenAlex,
    /// <summary>A Parquet edge list (<c>src</c> cites <c>dst</c>), optionally with a vertex file (<see cref="CitationLoadOptions.VerticesPath"/>); see <see cref="Interchange.CitationParquet"/>.</summary>
    Parquet,
    /// <summary>A text edge list, one <c>citing cited</c> pair a line (igraph's <c>Read_Edgelist</c>, SNAP); see <see cref="EdgeListLoader"/>.</summary>
    EdgeList,
}

/// <summary>How to read a citation source.</summary>
public sealed class CitationLoadOptions
{
    /// <summary>
    /// Property holding a paper's field (dotted path for nested objects, e.g. <c>primary_topic.field.display_name</c>).
    /// A string is taken as is; for an array the first element; for an object its <c>display_name</c>, <c>category</c> or <c>name</c>.
    /// Null uses the format's default: S2 <c>fieldsOfStudy</c>, S2ORC <c>mag_field_of_study</c>, OpenAlex the primary topic's field.
    /// </summary>
    public string? FieldProperty { get; set; }

    /// <summary>For Cora's <c>.cites</c> file: the archive naming each paper's class (default: <c>cora.npz</c> beside it, if present).</summary>
    public string? CoraLabelsPath { get; set; }

    /// <summary>For a Parquet edge list: the vertex file giving years, fields and unlinked papers (optional).</summary>
    public string? VerticesPath { get; set; }

    /// <summary>Default <see cref="MaxLineBytes"/>: 64 MiB, far beyond any real paper record.</summary>
    public const int DefaultMaxLineBytes = 64 << 20;

    /// <summary>
    /// Longest JSONL line (or JSON array element) read; a longer one stops the load with an error naming the file and
    /// line, so memory stays bounded by this rather than by the input.
    /// </summary>
    public int MaxLineBytes { get; set; } = DefaultMaxLineBytes;
}
