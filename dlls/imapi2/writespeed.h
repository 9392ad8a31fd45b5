/* IWriteSpeedDescriptor objects for SupportedWriteSpeedDescriptors. */
#ifndef IMAPI2_WRITESPEED_H
#define IMAPI2_WRITESPEED_H

#include "imapi2_private.h"

HRESULT write_speed_create(IMAPI_MEDIA_PHYSICAL_TYPE media_type, BOOL pure_cav, LONG sectors_per_second,
                           IDispatch **out);

#endif
