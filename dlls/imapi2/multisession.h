/* MsftMultisessionSequential (multisession.c), made by data.c. */
#ifndef IMAPI2_MULTISESSION_H
#define IMAPI2_MULTISESSION_H

#include "imapi2_private.h"
#include "mmc/datawrite.h"

/* A new object over a snapshot of the medium; *out has one reference and
 * holds one on recorder (its ImportRecorder). */
HRESULT multisession_sequential_create(IDiscRecorder2 *recorder, const struct mmc_data_media *media,
                                       BOOL postgap_in_image, IDispatch **out);

#endif
