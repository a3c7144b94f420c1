namespace Cohort.Federated.Compression;

/// <summary>How a biased compressor's error is carried between rounds.</summary>
internal enum ErrorFeedback
{
    /// <summary>The error is dropped.</summary>
    None,

    /// <summary>EF (Seide et al. 2014; Karimireddy et al. 2019): send C(u + e), keep e ← u + e − C(u + e).</summary>
    Ef,

    /// <summary>EF21 (Richtárik et al. 2021): send c = C(u − g), both sides set g ← g + c, and g is the update.</summary>
    Ef21,
}
