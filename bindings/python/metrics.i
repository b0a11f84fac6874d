/* SWIG interface of metrics.h (issue 4): typemaps and the header. Included by cogniforge.i. */
