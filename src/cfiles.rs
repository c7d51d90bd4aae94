//! Which CPython source file defines each C function the model's events
//! name, per version, so the app can say "`list_dealloc` in
//! `Objects/listobject.c`". Only files checked against the sources are
//! listed; a function whose home moved in a way not checked gets `None`.

use crate::version::Version;

/// The source file, relative to a CPython checkout, that defines `func`
/// in `version` (`None` when not known).
pub fn c_file(version: Version, func: &str) -> Option<&'static str> {
    let m = version.minor();
    // The collector moved from Modules/gcmodule.c to Python/gc.c in 3.13.
    let gc = if m >= 13 {
        "Python/gc.c"
    } else {
        "Modules/gcmodule.c"
    };
    Some(match func {
        "PyObject_Malloc" | "PyObject_Realloc" | "PyObject_Free" | "PyMem_RawMalloc"
        | "PyMem_RawFree" => "Objects/obmalloc.c",
        // Include/refcount.h split off Include/object.h in 3.14.
        "Py_INCREF" | "Py_DECREF" if m >= 14 => "Include/refcount.h",
        "Py_INCREF" | "Py_DECREF" => "Include/object.h",
        "_PyObject_GC_TRACK" | "_PyObject_GC_UNTRACK" => "Include/internal/pycore_object.h",
        "gc_collect_main"
        | "gc_list_merge"
        | "update_refs"
        | "subtract_refs"
        | "move_unreachable"
        | "handle_weakrefs"
        | "finalize_garbage"
        | "delete_garbage"
        | "handle_resurrected_objects"
        | "check_garbage"
        | "clear_freelists"
        | "mark_at_start"
        | "gc_collect_increment" => gc,
        "_PyGC_ClearAllFreeLists" if m >= 13 => "Python/gc_gil.c",
        "PyList_New" | "list_dealloc" | "listreviter_dealloc" => "Objects/listobject.c",
        "iter_dealloc" => "Objects/iterobject.c",
        "PyDict_New" | "dict_dealloc" | "_PyDictView_New" => "Objects/dictobject.c",
        "PyTuple_New" | "tupledealloc" => "Objects/tupleobject.c",
        "_PyLong_New" | "long_dealloc" => "Objects/longobject.c",
        "PyFloat_FromDouble" | "float_dealloc" => "Objects/floatobject.c",
        "PyComplex_FromCComplex" | "complex_dealloc" => "Objects/complexobject.c",
        "PyUnicode_New" | "unicode_dealloc" => "Objects/unicodeobject.c",
        "PyBytes_FromStringAndSize" | "bytes_dealloc" | "bytes_repeat" => "Objects/bytesobject.c",
        "PySet_New" | "PyFrozenSet_New" | "set_dealloc" => "Objects/setobject.c",
        "PyFunction_New" | "func_dealloc" => "Objects/funcobject.c",
        "PyCell_New" | "cell_dealloc" => "Objects/cellobject.c",
        "PyMethod_New" | "method_dealloc" => "Objects/classobject.c",
        "PyCFunction_NewEx" | "PyCMethod_New" | "meth_dealloc" => "Objects/methodobject.c",
        "PyWrapper_New" | "wrapper_dealloc" => "Objects/descrobject.c",
        "PyType_GenericAlloc"
        | "subtype_dealloc"
        | "object_dealloc"
        | "object_new"
        | "type_new"
        | "super_new" => "Objects/typeobject.c",
        "PyGen_NewWithQualName" | "gen_dealloc" => "Objects/genobject.c",
        "PyWeakref_NewRef" | "weakref_dealloc" => "Objects/weakrefobject.c",
        "range_dealloc" => "Objects/rangeobject.c",
        "enum_dealloc" | "reversed_dealloc" => "Objects/enumobject.c",
        "map_dealloc" | "filter_dealloc" | "zip_dealloc" => "Python/bltinmodule.c",
        "BaseException_dealloc" => "Objects/exceptions.c",
        _ => return None,
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_collector_moved_in_3_13() {
        assert_eq!(
            c_file(Version::V3_12, "move_unreachable"),
            Some("Modules/gcmodule.c")
        );
        assert_eq!(
            c_file(Version::V3_13, "move_unreachable"),
            Some("Python/gc.c")
        );
        assert_eq!(
            c_file(Version::V3_8, "PyObject_Malloc"),
            Some("Objects/obmalloc.c")
        );
        assert_eq!(
            c_file(Version::V3_14, "Py_DECREF"),
            Some("Include/refcount.h")
        );
        assert_eq!(c_file(Version::V3_11, "no_such_function"), None);
    }
}
